import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, rmdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * A small ext4 file system on a loop device, whose power can be cut: `cut()` copies the image the
 * loop device writes to, which holds what reached the disk (everything fsynced, and whatever the
 * kernel happened to write back) but not what still sat in the page cache. Mounted with a ten
 * minute journal commit interval so that ext4 writes nothing back by itself while a test runs.
 * Needs root, util-linux (losetup, mount) and e2fsprogs (mkfs.ext4).
 */
export interface LoopDisk {
  /** where the file system is mounted */
  readonly mount: string
  /** a new disk from the image as it is on the device now: a power cut, then a reboot */
  cut: () => LoopDisk
  /** unmounts, detaches and deletes the image; safe to call twice */
  remove: () => void
}

function run (command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: 'utf8' })
  if (result.error !== undefined || result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`}): ${result.stderr}` +
      '\nthe power-cut test needs root, util-linux (losetup, mount) and e2fsprogs (mkfs.ext4)')
  }
  return result.stdout.trim()
}

function attach (dir: string, image: string): LoopDisk {
  const mount = join(dir, `mnt-${image.slice(dir.length + 1)}`)
  mkdirSync(mount)
  const device = run('losetup', ['--find', '--show', image])
  try {
    run('mount', ['-t', 'ext4', '-o', 'commit=600', device, mount])
  } catch (err) {
    run('losetup', ['--detach', device])
    throw err
  }
  let removed = false
  return {
    mount,
    cut () {
      const copy = `${image}-cut`
      copyFileSync(image, copy)
      return attach(dir, copy)
    },
    remove () {
      if (removed) return
      removed = true
      // Lazy: a process still holding a file open must not keep the device attached.
      spawnSync('umount', ['--lazy', mount])
      spawnSync('losetup', ['--detach', device])
      rmSync(image, { force: true })
      rmdirSync(mount)
      // The last disk of a directory removes it (never recursively: a disk cut from it may be mounted there).
      if (readdirSync(dir).length === 0) rmdirSync(dir)
    }
  }
}

/** A fresh 64 MiB disk, mounted. Remove it (and every disk cut from it) in a `finally`. */
export function loopDisk (): LoopDisk {
  const dir = mkdtempSync(join(tmpdir(), 'mutual-disk-'))
  const image = join(dir, 'disk')
  run('truncate', ['--size', '64M', image])
  run('mkfs.ext4', ['-q', '-F', image])
  return attach(dir, image)
}
