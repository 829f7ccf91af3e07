// The benchmark's task module, plain JavaScript so that every pool loads it the same way.

/** The tiny task: all messaging, no work. */
export function addOne(x) {
  return x + 1;
}

/** Trial division by odd numbers up to √n: the guide's CPU-bound task. */
export function isPrime(n) {
  if (n < 2) return false;
  if (n % 2 === 0) return n === 2;
  const limit = Math.floor(Math.sqrt(n));
  for (let i = 3; i <= limit; i += 2) {
    if (n % i === 0) return false;
  }
  return true;
}
