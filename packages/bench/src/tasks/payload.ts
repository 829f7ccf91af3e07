/**
 * The payload task module: a task that receives data and answers with its size in bytes, so
 * that what is measured is the cost of getting the data to the worker, not of a big answer.
 */

export function byteLength(data: ArrayBuffer | ArrayBufferView): number {
  return data.byteLength;
}
