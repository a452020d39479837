import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One shell command shown in a fenced sh/bash block of the docs. */
export interface DocumentedCommand {
  /** `README.md:30` */
  where: string;
  /** The command as shown, comment removed. */
  text: string;
}

/** Every command in ```sh / ```bash / ```shell blocks of README.md and docs/*.md under `root`. */
export function documentedCommands(root: string): DocumentedCommand[] {
  const files = [
    'README.md',
    ...readdirSync(join(root, 'docs'))
      .filter((f) => f.endsWith('.md'))
      .sort()
      .map((f) => `docs/${f}`),
  ];
  const commands: DocumentedCommand[] = [];
  for (const file of files) {
    let inShell = false;
    readFileSync(join(root, file), 'utf8')
      .split('\n')
      .forEach((line, i) => {
        const fence = /^\s*```(\w*)/.exec(line);
        if (fence !== null) {
          inShell = !inShell && ['sh', 'bash', 'shell', 'console'].includes(fence[1] as string);
          return;
        }
        if (!inShell) return;
        const text = line.replace(/(^|\s)#.*$/, '').trim();
        if (text !== '') commands.push({ where: `${file}:${i + 1}`, text });
      });
  }
  return commands;
}

/** The argv of an `mtl2r ...` or `pnpm mtl2r ...` command, or undefined for any other command. */
export function mtl2rArguments(command: string): string[] | undefined {
  const words = command.split(/\s+/);
  const start = words[0] === 'pnpm' || words[0] === 'npx' ? 1 : 0;
  return words[start] === 'mtl2r' ? words.slice(start + 1) : undefined;
}
