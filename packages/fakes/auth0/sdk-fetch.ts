/**
 * The `auth0` SDK hard-codes `https://<domain>/…` and has no base-URL option, so
 * the seam is a `fetch` that keeps path and query and swaps the origin. Passed as the SDK's
 * `fetch` option it covers the token request and every Management API call alike.
 */
export function fetchVia(baseUrl: string): typeof fetch {
  return (input, init) => {
    const original = new URL(input instanceof Request ? input.url : input);
    const target = new URL(`${original.pathname}${original.search}`, baseUrl);
    return input instanceof Request ? fetch(new Request(target, input), init) : fetch(target, init);
  };
}
