/**
 * Readable stack traces from a minified Lambda bundle, at no cost to its cold start.
 *
 * The build writes main.js.map beside main.js (positions and names, not the sources) and no
 * sourceMappingURL comment, so Node never reads the map at load: --enable-source-maps would
 * read and parse it at every cold start, about a fifth of the bundle's load CPU. Instead this
 * module, injected at the top of every bundle (lambda-bundle.config.ts), formats stack traces
 * (V8's Error.prepareStackTrace) and maps each frame of the bundle back to its TypeScript
 * source and function name. The map is read and parsed, with node:module's SourceMap, the
 * first time a stack with a frame of the bundle is formatted: when an error's stack is logged,
 * or the runtime reports an error thrown out of the handler; never on a cold start or a
 * request that goes well. Frames outside the bundle (node internals) stay as V8 writes them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap, type SourceMapping } from 'node:module';

type Frame = NodeJS.CallSite;
type FormatStack = (error: Error, frames: Frame[]) => string;

/** V8's own header: `${name}: ${message}`. */
function header(error: Error): string {
  try {
    return Error.prototype.toString.call(error);
  } catch {
    return '<error>';
  }
}

const plain = (error: Error, frames: Frame[]) => header(error) + frames.map((frame) => `\n    at ${frame}`).join('');

/** A source as the map names it, relative to the map (../../../libs/…): from the workspace root instead. */
const shorten = (source: string) => source.replace(/^(?:\.\.?\/)+/, '');

/**
 * A stack formatter that maps the frames of `bundle` through `${bundle}.map`, loaded on first
 * use. If the map cannot be read or parsed, stacks are formatted as V8 would.
 */
export function sourceMappedStacks(bundle: string): FormatStack {
  let map: SourceMap | null | undefined;
  let formatting = false;
  const sourceMap = (): SourceMap | null => {
    if (map === undefined) {
      try {
        map = new SourceMap(JSON.parse(readFileSync(`${bundle}.map`, 'utf8')));
      } catch {
        map = null;
      }
    }
    return map;
  };

  /** The source name mapped exactly at this generated position (0-based), if any (Node's entries carry `name`). */
  const nameAt = (m: SourceMap, line: number, column: number): string | undefined => {
    const entry = m.findEntry(line, column) as Partial<SourceMapping & { name: string }>;
    return entry.generatedLine === line && entry.generatedColumn === column ? entry.name || undefined : undefined;
  };

  /** The bundle's own text by line, read with the map: where a minified function's name stands. */
  let lines: string[] | null | undefined;
  const bundleLines = (): string[] | null => {
    if (lines === undefined) {
      try {
        lines = readFileSync(bundle, 'utf8').split('\n');
      } catch {
        lines = null;
      }
    }
    return lines;
  };

  /**
   * The function's name in the sources. V8 gives the position where the function starts (its
   * `function` keyword, or the arrow's parameters); the map names the identifier, which stands
   * after `function ` or before `=`. Failing that, Node's way: the symbol at the function's
   * start, else the name its caller used.
   */
  const originalName = (frame: Frame, caller: Frame | undefined, m: SourceMap): string | undefined => {
    const line = frame.getEnclosingLineNumber();
    const column = frame.getEnclosingColumnNumber();
    const minified = frame.getFunctionName();
    if (line !== null && column !== null) {
      const text = bundleLines()?.[line - 1] ?? '';
      const start = column - 1;
      if (minified) {
        for (const keyword of ['function ', 'function* ', 'async function ', 'async function* ']) {
          if (text.startsWith(`${keyword}${minified}(`, start)) return nameAt(m, line - 1, start + keyword.length);
        }
        const assigned = start - minified.length - 1;
        if (assigned >= 0 && text.startsWith(`${minified}=`, assigned)) return nameAt(m, line - 1, assigned);
      }
      const atStart = nameAt(m, line - 1, start);
      if (atStart) return atStart;
    }
    const callerLine = caller?.getLineNumber();
    const callerColumn = caller?.getColumnNumber();
    if (caller?.getFileName() === bundle && callerLine && callerColumn) {
      const call = m.findEntry(callerLine - 1, callerColumn - 1) as { name?: string };
      if (call.name) return call.name;
    }
    return undefined;
  };

  const mapFrame = (frame: Frame, caller: Frame | undefined): string => {
    const text = String(frame);
    const line = frame.getLineNumber();
    const column = frame.getColumnNumber();
    if (frame.getFileName() !== bundle || line === null || column === null) return text;
    const m = sourceMap();
    if (!m) return text;
    const origin = m.findOrigin(line, column);
    if (!('fileName' in origin)) return text;
    const generated = `${bundle}:${line}:${column}`;
    const at = text.lastIndexOf(generated);
    if (at < 0) return text;
    const location = `${shorten(origin.fileName)}:${origin.lineNumber}:${origin.columnNumber}`;
    let head = text.slice(0, at); // "", "fn (", "Type.fn [as m] (", "async fn (", "new Type ("
    const tail = text.slice(at + generated.length);
    const name = originalName(frame, caller, m);
    const minified = frame.getFunctionName();
    if (name && minified && name !== minified) {
      const escaped = minified.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      head = head.replace(new RegExp(`(^|[ .])${escaped}(?=(?: \\[as [^\\]]*\\])? \\($)`), `$1${name}`);
    } else if (name && head === '') {
      return `${name} (${location})`;
    }
    return `${head}${location}${tail}`;
  };

  return (error, frames) => {
    // A stack formatted while formatting one (the map failing to load, say) is left as V8 writes it.
    if (formatting) return plain(error, frames);
    formatting = true;
    try {
      return header(error) + frames.map((frame, i) => `\n    at ${mapFrame(frame, frames[i + 1])}`).join('');
    } catch {
      return plain(error, frames);
    } finally {
      formatting = false;
    }
  };
}

/**
 * Maps the stack traces of `bundle` (this module's own file once bundled) when its map lies
 * beside it; anywhere else (tests, tools) it does nothing. Returns whether it did.
 */
export function installSourceMappedStacks(bundle: string = __filename): boolean {
  if (!existsSync(`${bundle}.map`)) return false;
  Error.prepareStackTrace = sourceMappedStacks(bundle);
  return true;
}

installSourceMappedStacks();
