/** The CPU task module: the guide's primality test by trial division. */

/** Whether `n` is prime, by trial division by 2 and the odd numbers up to √n (exact below 2^53). */
export function isPrime(n: number): boolean {
  if (n < 2) return false;
  if (n === 2) return true;
  if (n % 2 === 0) return false;
  const root = Math.floor(Math.sqrt(n));
  for (let i = 3; i <= root; i += 2) {
    if (n % i === 0) return false;
  }
  return true;
}
