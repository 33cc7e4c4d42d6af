import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMainModule } from '../../bot/isMainModule.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface Frame {
  frame: string;
  selfMs: number;
  selfPercent: number;
  /** Time in this function and everything it called (each function counted once per stack). */
  totalMs: number;
  totalPercent: number;
}

const ROOT = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));

function label(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  let file = url.replace(/^file:\/\//, '');
  if (file.startsWith(ROOT)) file = file.slice(ROOT.length + 1);
  file = file.replace(/^.*node_modules\//, 'node_modules/');
  return `${functionName || '(anonymous)'} ${file ? `${file}:${lineNumber + 1}` : ''}`.trim();
}

/** The top frames of a .cpuprofile by self time and by total (inclusive) time; idle excluded. */
export async function topFrames(file: string, count = 20): Promise<{ busyMs: number; bySelf: Frame[]; byTotal: Frame[] }> {
  const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let busy = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byId.get(profile.samples[i]!)!;
    const dt = (profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0) / 1000;
    const name = node.callFrame.functionName;
    if (name === '(idle)' || name === '(program)' || name === '(root)') continue;
    busy += dt;
    const own = label(node);
    self.set(own, (self.get(own) ?? 0) + dt);
    const seen = new Set<string>();
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      const l = label(byId.get(id)!);
      if (seen.has(l) || l.startsWith('(root)')) continue;
      seen.add(l);
      total.set(l, (total.get(l) ?? 0) + dt);
    }
  }
  const rank = (m: Map<string, number>, other: Map<string, number>, selfFirst: boolean): Frame[] =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, count)
      .map(([frame, v]) => {
        const s = selfFirst ? v : (other.get(frame) ?? 0);
        const t = selfFirst ? (other.get(frame) ?? 0) : v;
        return {
          frame,
          selfMs: Math.round(s),
          selfPercent: Math.round((s * 1000) / busy) / 10,
          totalMs: Math.round(t),
          totalPercent: Math.round((t * 1000) / busy) / 10,
        };
      });
  return { busyMs: Math.round(busy), bySelf: rank(self, total, true), byTotal: rank(total, self, false) };
}

export function formatFrames(title: string, top: { busyMs: number; bySelf: Frame[]; byTotal: Frame[] }): string {
  const lines = [`${title}: ${top.busyMs} ms on the CPU (idle excluded)`, '  by self time:'];
  for (const f of top.bySelf) lines.push(`    ${String(f.selfPercent).padStart(5)}%  ${f.frame}`);
  lines.push('  by total time:');
  for (const f of top.byTotal) lines.push(`    ${String(f.totalPercent).padStart(5)}%  ${f.frame}`);
  return lines.join('\n');
}

if (isMainModule(import.meta.url)) {
  for (const file of process.argv.slice(2)) console.log(formatFrames(path.basename(file), await topFrames(file, Number(process.env.TOP ?? 25))));
}
