// Imported first by the trainer CLI, before any tfjs module: tfjs greets Node users
// on console.log/console.warn ("Hi, looks like you are running TensorFlow.js in
// Node.js..."), and stdout must carry JSON events only. People still see it on stderr.

const toStderr = (...args: unknown[]): void => console.error(...args);
console.log = toStderr;
console.info = toStderr;
console.warn = toStderr;
console.debug = toStderr;

export {};
