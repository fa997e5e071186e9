// Print the text pdf.js (Firefox's PDF viewer) extracts from a PDF, page by page.
// Usage: node scripts/pdfjs_text.mjs file.pdf [more.pdf ...]
// Each file's text is printed between "\f" page separators; several files are separated by "\u0000".
// Items are joined as pdf.js's viewer copies them: an item with hasEOL ends a line.
import { readFile } from "node:fs/promises";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";

async function pdfText(path) {
  const data = new Uint8Array(await readFile(path));
  const doc = await getDocument({ data, useSystemFonts: false, disableFontFace: true, verbosity: 0 }).promise;
  const pages = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    const content = await page.getTextContent();
    pages.push(content.items.map((item) => item.str + (item.hasEOL ? "\n" : "")).join(""));
    page.cleanup();
  }
  await doc.destroy();
  return pages.join("\f");
}

const texts = [];
for (const path of process.argv.slice(2)) {
  texts.push(await pdfText(path));
}
process.stdout.write(texts.join("\u0000"));
