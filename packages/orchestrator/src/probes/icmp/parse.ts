/** What one `ping` run reported. */
export interface PingSummary {
  sent: number;
  received: number;
  lossPct: number;
  /** Average round trip of the replies, absent when none came back. */
  rttMs?: number;
  rttMinMs?: number;
  rttMaxMs?: number;
}

// iputils: "3 packets transmitted, 3 received, 0% packet loss, time 2003ms"
// busybox:  "3 packets transmitted, 3 packets received, 0% packet loss"
const COUNTS = /(\d+) packets transmitted, (\d+) (?:packets )?received/;
// iputils: "rtt min/avg/max/mdev = 0.031/0.045/0.061/0.012 ms"; busybox: "round-trip min/avg/max = 0.1/0.2/0.3 ms"
const RTT = /(?:rtt|round-trip) min\/avg\/max(?:\/mdev)? = ([\d.]+)\/([\d.]+)\/([\d.]+)/;

/** Reads the summary lines of iputils or busybox `ping`; undefined when there is none. */
export function parsePing(output: string): PingSummary | undefined {
  const counts = COUNTS.exec(output);
  if (!counts) return undefined;
  const sent = Number(counts[1]);
  const received = Number(counts[2]);
  if (sent === 0) return undefined;
  const summary: PingSummary = {
    sent,
    received,
    lossPct: Math.round(((sent - received) / sent) * 1000) / 10,
  };
  const rtt = RTT.exec(output);
  if (rtt) {
    summary.rttMinMs = Number(rtt[1]);
    summary.rttMs = Number(rtt[2]);
    summary.rttMaxMs = Number(rtt[3]);
  }
  return summary;
}
