// wired up by the report issue
process.stderr.write('mnist-report: not built yet\n'); process.exit(1);
