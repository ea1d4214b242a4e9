import { BarController, BarElement, CategoryScale, Chart, LinearScale, Tooltip } from 'chart.js'
import { useEffect, useRef, type ReactNode } from 'react'

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip)

/** A period's shares as horizontal bars (Chart.js), in percent; colours from the page's theme. */
export function SharesChart ({ labels, percents, title }: { labels: string[], percents: number[], title: string }): ReactNode {
  const canvas = useRef<HTMLCanvasElement>(null)
  useEffect(() => {
    const style = getComputedStyle(document.documentElement)
    const color = (name: string): string => style.getPropertyValue(name).trim()
    const chart = new Chart(canvas.current as HTMLCanvasElement, {
      type: 'bar',
      data: { labels, datasets: [{ label: 'share', data: percents, backgroundColor: color('--accent'), borderRadius: 6 }] },
      options: {
        indexAxis: 'y',
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: { tooltip: { callbacks: { label: (item) => `${Number(item.raw).toFixed(1)}%` } } },
        scales: {
          x: { min: 0, max: 100, ticks: { color: color('--muted'), callback: (v) => `${String(v)}%` }, grid: { color: color('--border') } },
          y: { ticks: { color: color('--text') }, grid: { display: false } }
        }
      }
    })
    return () => { chart.destroy() }
  }, [labels, percents])
  return <div className='chart'><canvas ref={canvas} role='img' aria-label={title} /></div>
}
