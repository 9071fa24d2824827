/** The value of `--name=value` among the command-line arguments, or undefined when it is not given. */
export function optionValue(args: readonly string[], name: string): string | undefined {
  const prefix = `--${name}=`;
  return args.find((a) => a.startsWith(prefix))?.slice(prefix.length);
}

/** The sections named by `--only=a,b`, or all of `sections` when it is not given. */
export function onlySections(args: readonly string[], sections: readonly string[]): Set<string> {
  return new Set(optionValue(args, 'only')?.split(',') ?? sections);
}
