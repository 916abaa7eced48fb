// Format numbers with Excel number format codes using SheetJS ssf (an implementation of Excel's
// format semantics independent of xlpy). stdin: {"formats": [...], "values": [...]};
// stdout: {format: [text per value]}.
const SSF = require("ssf");
let input = "";
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  const { formats, values } = JSON.parse(input);
  const out = {};
  for (const format of formats) out[format] = values.map((v) => SSF.format(format, v));
  process.stdout.write(JSON.stringify(out));
});
