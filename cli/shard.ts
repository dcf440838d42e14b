/**
 * `--shard i/n`: a deterministic share of a codebase's files, so n machines can each scan one share
 * and `paasport merge` can put the results back together. The share depends only on a file's path
 * (not on the file list or the machine), so the same file lands in the same shard on every run and
 * every shard can discover files independently.
 */
import { createHash } from 'node:crypto';

export interface Shard {
  /** 1-based, like the `--shard 2/4` the user typed */
  index: number;
  count: number;
}

export function parseShard(value: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(value);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count) throw new Error(`--shard: expected i/n with 1 <= i <= n (e.g. 2/4), got "${value}"`);
  return { index, count };
}

export function shardOf(posixPath: string, count: number): number {
  const h = createHash('sha1').update(posixPath).digest();
  return (h.readUInt32BE(0) % count) + 1;
}

export function inShard(posixPath: string, shard: Shard | undefined): boolean {
  return !shard || shard.count === 1 || shardOf(posixPath, shard.count) === shard.index;
}
