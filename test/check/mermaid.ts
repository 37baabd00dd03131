/**
 * A structural check of the Mermaid flowchart subset the offline check writes. Mermaid's own parser
 * needs a DOM (mermaid 12.3.0's `parse` fails in Node on DOMPurify.addHook) and @mermaid-js/parser
 * has no flowchart grammar, so this checks what makes a flowchart render as meant: every line one of
 * the known forms, quoted labels, unique ids that are not keywords, edges only between declared
 * nodes or subgraphs (Mermaid would silently draw a new box for a typo), balanced subgraphs.
 */

/** Words Mermaid's flowchart grammar reads as keywords; `end` as an id closes a subgraph. */
const RESERVED = new Set(["end", "subgraph", "graph", "flowchart", "style", "classdef", "class", "click", "linkstyle", "direction", "default"]);

const ID = "[A-Za-z][A-Za-z0-9_]*";
/** A double-quoted label without a raw quote inside (Mermaid's escape is `#quot;`). */
const LABEL = '"[^"\\n]*"';
const SHAPES: readonly (readonly [string, string])[] = [["((", "))"], ["[(", ")]"], ["[", "]"], [">", "]"]];
const escape = (s: string) => s.replace(/[[\]()|.>-]/g, "\\$&");

const HEADER = /^flowchart (LR|RL|TB|TD|BT)$/;
const NODE = new RegExp(`^(${ID})(?:${SHAPES.map(([open, close]) => `${escape(open)}${LABEL}${escape(close)}`).join("|")})$`);
const SUBGRAPH = new RegExp(`^subgraph (${ID})\\[${LABEL}\\]$`);
const EDGE = new RegExp(`^(${ID}) (?:-->|-\\.->)(?:\\|${LABEL}\\|)? (${ID})$`);

/** The problems of `source`, each naming its line; empty when it is well-formed. */
export function mermaidProblems(source: string): string[] {
    const problems: string[] = [];
    const lines = source.split("\n");
    if (!HEADER.test(lines[0] ?? "")) {
        problems.push(`line 1: expected a "flowchart <direction>" header, got "${lines[0]}"`);
    }
    const declared = new Map<string, number>();
    const edges: { from: string; to: string; line: number }[] = [];
    let depth = 0;
    const declare = (id: string, line: number) => {
        if (RESERVED.has(id.toLowerCase())) {
            problems.push(`line ${line}: "${id}" is a Mermaid keyword, not usable as an id`);
        }
        if (declared.has(id)) {
            problems.push(`line ${line}: id "${id}" is already declared on line ${declared.get(id)}`);
        }
        declared.set(id, line);
    };
    lines.slice(1).forEach((raw, i) => {
        const line = i + 2;
        const text = raw.trim();
        let m: RegExpExecArray | null;
        if (text === "end") {
            depth -= 1;
            if (depth < 0) {
                problems.push(`line ${line}: "end" without an open subgraph`);
                depth = 0;
            }
        } else if ((m = SUBGRAPH.exec(text))) {
            declare(m[1], line);
            depth += 1;
        } else if ((m = EDGE.exec(text))) {
            edges.push({ from: m[1], to: m[2], line });
        } else if ((m = NODE.exec(text))) {
            declare(m[1], line);
        } else {
            problems.push(`line ${line}: not a node, edge or subgraph line, or a label is not quoted: ${text}`);
        }
    });
    if (depth > 0) {
        problems.push(`${depth} subgraph${depth > 1 ? "s are" : " is"} not closed with "end"`);
    }
    for (const { from, to, line } of edges) {
        for (const id of [from, to].filter((e) => !declared.has(e))) {
            problems.push(`line ${line}: edge endpoint "${id}" is not declared`);
        }
    }
    return problems;
}
