import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { LOOPBACK } from '@serverless-orders/local-aws';

/**
 * The local identity provider signs tokens with a key published in cognito-local's package: who
 * can reach the local stack can mint tokens it accepts. So nothing of it may listen beyond the
 * loopback address. Every server the stack starts is told 127.0.0.1 (libs/local-aws listen(),
 * fauxqs forced by onLoopback); this reads back what the process really listens on, from the
 * kernel, so that a server which ignores its host (or a new one that defaults to 0.0.0.0) is
 * caught, not trusted.
 */

export interface ListeningSocket {
  /** The bound address: `127.0.0.1`, `0.0.0.0`, `::`, `::1`, … */
  readonly address: string;
  readonly port: number;
}

/** TCP state LISTEN in /proc/net/tcp. */
const LISTEN = '0A';

/** `0100007F` (the kernel's bytes of each 32-bit word, little-endian here) → `127.0.0.1`; 32 hex digits → an IPv6 address. */
export function procAddress(hex: string): string {
  const words = hex.match(/.{8}/g) ?? [];
  const bytes = words.flatMap((word) => (word.match(/../g) ?? []).reverse().map((b) => parseInt(b, 16)));
  if (bytes.length === 4) return bytes.join('.');
  const groups = Array.from({ length: 8 }, (_, i) => ((bytes[2 * i] << 8) | bytes[2 * i + 1]).toString(16));
  return new URL(`http://[${groups.join(':')}]`).hostname.replace(/^\[|\]$/g, '');
}

/** The listening sockets of a /proc/net/tcp or tcp6 table whose inode is in `inodes`. */
export function listeningIn(table: string, inodes: ReadonlySet<string>): ListeningSocket[] {
  return table
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields.length > 9 && fields[3] === LISTEN && inodes.has(fields[9]))
    .map((fields) => {
      const [address, port] = fields[1].split(':');
      return { address: procAddress(address), port: parseInt(port, 16) };
    });
}

/** Whether this system shows processes' sockets in /proc (Linux). */
export const canListSockets = () => existsSync('/proc/self/net/tcp');

/** Every TCP socket process `pid` listens on (Linux: its socket descriptors, matched in its /proc/net/tcp and tcp6). */
export function listeningSockets(pid: number = process.pid): ListeningSocket[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const target = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (target) inodes.add(target[1]);
    } catch {
      // closed meanwhile
    }
  }
  const table = (name: string) => (existsSync(`/proc/${pid}/net/${name}`) ? readFileSync(`/proc/${pid}/net/${name}`, 'utf8') : '');
  return [...listeningIn(table('tcp'), inodes), ...listeningIn(table('tcp6'), inodes)];
}

/** Throws, naming each one, if this process listens anywhere but on the loopback address. Where /proc is not there, nothing is checked. */
export function assertLoopbackOnly(pid: number = process.pid): void {
  if (!canListSockets()) return;
  const beyond = listeningSockets(pid).filter((s) => s.address !== LOOPBACK);
  if (beyond.length > 0) {
    const where = beyond.map((s) => (s.address.includes(':') ? `[${s.address}]:${s.port}` : `${s.address}:${s.port}`)).join(', ');
    throw Object.assign(new Error(`the local stack listens beyond ${LOOPBACK} (${where}): its identity provider's signing key is public, so it must not; stopping`), {
      name: 'NotLoopbackError',
    });
  }
}
