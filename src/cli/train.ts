// wired up by the train issue
process.stderr.write('mnist-train: not built yet\n'); process.exit(1);
