// mnist-train's lines about its flags that depend on the machine (the CLI puts "mnist-train: "
// before none of them: each names its flag first).

const mb = (bytes: number): string => `${Math.round(bytes / 1e6).toLocaleString('en-US')} MB`;

/** --batch-size whose batch does not fit in the fused step's wasm memory (4 GiB at most, or less on this machine). */
export function batchTooLarge(batch: number, bytes: number, fits: number): string {
  return `--batch-size ${batch}: a batch of ${batch} images needs ${mb(bytes)} of wasm memory for the fused training step, more than can be had ` +
    `(at most 4,295 MB)${fits > 0 ? `; give --batch-size ${fits} or less` : ''}, or --no-fused-step`;
}
