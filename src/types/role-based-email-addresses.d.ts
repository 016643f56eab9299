declare module 'role-based-email-addresses' {
  /** Local parts (before the @) that name a role or group rather than a person. */
  const prefixes: readonly string[]
  export default prefixes
}
