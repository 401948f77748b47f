/**
 * The slice of jstat pitsim uses (jstat ships no types): Student's t quantile.
 */
declare module 'jstat' {
  export const jStat: {
    studentt: { inv(p: number, dof: number): number };
  };
}
