/**
 * The async backend's overhead task: an `async` function that does nothing, the task users of
 * p-limit and p-map write (`async () => {}`). Every async contender runs this same function.
 */
export async function noop(): Promise<void> {}
