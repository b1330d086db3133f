import { TransparencyReport } from './transparency.types';

const field = (value: unknown) => {
  const text = value === null || value === undefined ? '' : value instanceof Date ? value.toISOString() : String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/** The report as CSV, one figure a line: `figure,key,value` (key empty for single figures). */
export function reportToCsv(report: TransparencyReport): string {
  const lines = ['figure,key,value'];
  for (const [name, value] of Object.entries(report)) {
    if (!Array.isArray(value)) {
      lines.push(`${name},,${field(value)}`);
      continue;
    }
    for (const row of value as Record<string, unknown>[]) {
      for (const [column, figure] of Object.entries(row)) {
        if (column === 'key') continue;
        lines.push(`${'count' in row ? name : `${name}.${column}`},${field(row.key)},${field(figure)}`);
      }
    }
  }
  return `${lines.join('\n')}\n`;
}
