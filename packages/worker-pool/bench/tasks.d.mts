export function addOne(x: number): number;
export function isPrime(n: number): boolean;
