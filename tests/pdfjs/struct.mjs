// Prints what pdf.js (the viewer in Firefox, read by screen readers
// through its accessibility tree) exposes of a tagged PDF: each page's
// structure tree from getStructTree, one node a line, indented by depth,
// as "Role" with its alternative text ("Role alt=...") and "content" for
// marked content.  usage: node struct.mjs FILE.pdf
import { readFileSync } from "node:fs";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";

function print(node, depth, out) {
  const pad = "  ".repeat(depth);
  if (node.type === "content" || node.type === "object" || node.type === "annotation") {
    out.push(pad + node.type);
    return;
  }
  let line = pad + (node.role || "?");
  if (node.alt) line += " alt=" + JSON.stringify(node.alt);
  out.push(line);
  for (const c of node.children || []) print(c, depth + 1, out);
}

const data = new Uint8Array(readFileSync(process.argv[2]));
const doc = await getDocument({ data, verbosity: 0 }).promise;
const out = [];
for (let i = 1; i <= doc.numPages; i++) {
  const page = await doc.getPage(i);
  const tree = await page.getStructTree();
  out.push("page " + i);
  if (tree) print(tree, 1, out);
}
console.log(out.join("\n"));
