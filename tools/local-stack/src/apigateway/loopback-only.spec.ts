import { listeningIn, procAddress } from './loopback-only';

// Lines of /proc/net/tcp and /proc/net/tcp6 as Linux writes them (addresses in the kernel's byte order).
const TCP = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:0BB8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1001 1 0000000000000000 100 0 0 10 0
   1: 00000000:1F40 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1002 1 0000000000000000 100 0 0 10 0
   2: 0100007F:0BB8 0100007F:D431 01 00000000:00000000 00:00000000 00000000     0        0 1003 1 0000000000000000 20 4 30 10 -1
   3: 0100007F:2382 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 9999 1 0000000000000000 100 0 0 10 0`;
const TCP6 = `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000000000000:11D7 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1004 1 0000000000000000 100 0 0 10 0
   1: 00000000000000000000000001000000:2383 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1005 1 0000000000000000 100 0 0 10 0`;

describe('listening sockets, read from the kernel', () => {
  it('decodes the kernel\'s addresses', () => {
    expect(procAddress('0100007F')).toBe('127.0.0.1');
    expect(procAddress('00000000')).toBe('0.0.0.0');
    expect(procAddress('0202000A')).toBe('10.0.2.2');
    expect(procAddress('00000000000000000000000000000000')).toBe('::');
    expect(procAddress('00000000000000000000000001000000')).toBe('::1');
    expect(procAddress('0000000000000000FFFF00000100007F')).toBe('::ffff:7f00:1');
  });

  it('lists the process\'s listening sockets only: its inodes, state LISTEN', () => {
    const mine = new Set(['1001', '1002', '1003', '1004', '1005']);
    expect([...listeningIn(TCP, mine), ...listeningIn(TCP6, mine)]).toEqual([
      { address: '127.0.0.1', port: 3000 },
      { address: '0.0.0.0', port: 8000 },
      { address: '::', port: 4567 },
      { address: '::1', port: 9091 },
    ]);
  });
});
