/** The one Web API method this needs; a `webApi.WebClient` fits. */
interface UsersInfoClient {
  readonly users: {
    info(args: { user: string }): Promise<{ user?: { tz?: string } }>;
  };
}

/** A user's IANA time zone from users.info (`tz`), or undefined when Slack does not say. */
export const userTimeZone = async (client: UsersInfoClient, userId: string): Promise<string | undefined> => {
  const answer = await client.users.info({ user: userId });
  const tz = answer.user?.tz;
  return typeof tz === 'string' && tz !== '' ? tz : undefined;
};
