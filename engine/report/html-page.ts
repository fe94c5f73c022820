// The HTML shell shared by the run report and the matrix report: one self-contained page (inline CSS,
// inline SVG, no scripts, no network), readable when opened straight from disk or attached to a mail.
import { escapeXml } from './format.js';

const CSS = `
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#111827;background:#f9fafb}
header{background:#0f172a;color:#f8fafc;padding:18px 28px}header h1{margin:0 0 4px;font-size:22px}header p{margin:0;color:#cbd5e1}
main{padding:18px 28px;max-width:1220px}section{margin:0 0 26px}h2{font-size:17px;margin:0 0 10px;border-bottom:1px solid #e5e7eb;padding-bottom:4px}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(170px,1fr));gap:10px}
.card{background:#fff;border:1px solid #e5e7eb;border-radius:8px;padding:10px 12px}.card .v{font-size:20px;font-weight:650}.card .k{color:#6b7280;font-size:12px}
.card.bad{border-color:#fca5a5;background:#fef2f2}.card.good{border-color:#86efac}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(560px,1fr));gap:12px}.chart{background:#fff;border:1px solid #e5e7eb;border-radius:8px;padding:4px;overflow:hidden}
.chart svg{display:block;max-width:100%;height:auto}.chart.wide{grid-column:1/-1}.hscroll{overflow-x:auto}
table{border-collapse:collapse;background:#fff;font-size:12.5px}th,td{border:1px solid #e5e7eb;padding:3px 7px;text-align:right;white-space:nowrap}
th{background:#f3f4f6;position:sticky;top:0}td.l,th.l{text-align:left}tr.bad td{background:#fef2f2}
.scroll{max-height:480px;overflow:auto;border:1px solid #e5e7eb}.note{color:#6b7280;font-size:12.5px;margin:6px 0}
pre{background:#fff;border:1px solid #e5e7eb;padding:10px;overflow:auto;font-size:12px}details summary{cursor:pointer;color:#1d4ed8}
`;

export function page(title: string, subtitle: string, sections: readonly string[]): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeXml(title)}</title><style>${CSS}</style></head>
<body><header><h1>${escapeXml(title)}</h1><p>${escapeXml(subtitle)}</p></header>
<main>${sections.join('\n')}</main></body></html>
`;
}

export function section(title: string, body: string, id?: string): string {
  return `<section${id ? ` id="${id}"` : ''}><h2>${escapeXml(title)}</h2>${body}</section>`;
}

export function card(label: string, value: string, tone: 'good' | 'bad' | '' = ''): string {
  return `<div class="card ${tone}"><div class="v">${escapeXml(value)}</div><div class="k">${escapeXml(label)}</div></div>`;
}

export interface Column<T> {
  title: string;
  cell: (row: T) => string | number;
  left?: boolean;
}

export function table<T>(rows: readonly T[], columns: readonly Column<T>[], options: { rowClass?: (row: T) => string; scroll?: boolean } = {}): string {
  const head = columns.map((c) => `<th${c.left ? ' class="l"' : ''}>${escapeXml(c.title)}</th>`).join('');
  const body = rows
    .map((r) => {
      const cls = options.rowClass?.(r);
      return `<tr${cls ? ` class="${cls}"` : ''}>${columns.map((c) => `<td${c.left ? ' class="l"' : ''}>${escapeXml(String(c.cell(r)))}</td>`).join('')}</tr>`;
    })
    .join('\n');
  const html = `<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
  return options.scroll ? `<div class="scroll">${html}</div>` : html;
}
