/**
 * The fenced code blocks of a Markdown document, and what README.md's test does with each:
 * a block says its kind in its info string, which GitHub does not show.
 *
 * - ```sh (or bash, shell): commands a reader types; the test runs them.
 * - ```sh no-test: commands the test cannot run (they need AWS, or they install or clone); the
 *   test lists each with its reason, so a new one is a decision, not an accident.
 * - ```text: what a program prints; nothing to run.
 *
 * A block of any other kind, or of none, is refused: the test fails until it says which it is.
 */
export interface CodeBlock {
  /** 1-based line of the opening fence. */
  readonly line: number;
  readonly info: string;
  readonly body: string;
}

export type BlockKind = 'run' | 'not-run' | 'output';

const SHELLS = new Set(['sh', 'bash', 'shell']);

/** Every fenced block (``` or ~~~, CommonMark's rule: closed by a fence of the same character, at least as long). */
export function codeBlocks(markdown: string): CodeBlock[] {
  const lines = markdown.split('\n');
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^ {0,3}(`{3,}|~{3,})(.*)$/.exec(lines[i]);
    if (!open || (open[1][0] === '`' && open[2].includes('`'))) continue;
    const fence = open[1];
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const close = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(lines[j]);
      if (close && close[1][0] === fence[0] && close[1].length >= fence.length) break;
      body.push(lines[j]);
    }
    blocks.push({ line: i + 1, info: open[2].trim(), body: body.join('\n') });
    i = j;
  }
  return blocks;
}

/** What the test does with a block, or why it refuses it. */
export function kindOf(block: CodeBlock): BlockKind {
  const [language = '', ...flags] = block.info.split(/\s+/).filter(Boolean);
  if (language === 'text' && flags.length === 0) return 'output';
  if (SHELLS.has(language) && flags.length === 0) return 'run';
  if (SHELLS.has(language) && flags.length === 1 && flags[0] === 'no-test') return 'not-run';
  throw new Error(
    `line ${block.line}: a code block must say what it is: \`\`\`sh (the test runs it), \`\`\`sh no-test (with its reason in the test) or \`\`\`text (output), not \`\`\`${block.info}`,
  );
}

/**
 * The commands of a shell block, one per entry: lines joined where they end in a backslash,
 * blank lines and whole-line comments left out (a comment after a command stays: the shell drops it).
 */
export function commandsOf(body: string): string[] {
  const commands: string[] = [];
  let current = '';
  for (const line of body.split('\n')) {
    if (current === '' && /^\s*(#.*)?$/.test(line)) continue;
    if (/\\\s*$/.test(line)) {
      current += line.replace(/\\\s*$/, ' ');
      continue;
    }
    commands.push((current + line).trim());
    current = '';
  }
  if (current.trim()) commands.push(current.trim());
  return commands;
}
