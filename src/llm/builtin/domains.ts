import { recheck, type Kit, type Step } from './kit.js';

/** Runbooks about custom domains and their certificates, and the one for a signal we do not know. */

const CUSTOM_DOMAINS = 'Auth0 Dashboard → Branding → Custom Domains';

export const certificate = (kit: Kit): Step[] => {
  const domain = kit.facts.domain ?? 'your custom domain';
  const what = kit.facts.renewal ? 'failed to renew' : 'must be renewed soon';
  return [
    kit.guide(
      'Understand what is at risk',
      `The TLS certificate for ${domain} ${what}. When it expires, browsers refuse the login page on that ` +
        'domain and every app that logs in through it breaks.',
    ),
    kit.guide(
      'Check the domain in Auth0',
      `In ${CUSTOM_DOMAINS}, open ${domain}: note its status and whether the certificate is managed by ` +
        'Auth0 or by you (self-managed, served by your CDN or reverse proxy).',
    ),
    kit.guide(
      'Auth0-managed certificate: fix DNS',
      `Auth0 renews it by itself only while the domain's CNAME record points to the target shown in the ` +
        `Dashboard. Check it with: dig CNAME ${domain}. If the record was changed or removed, or CAA records ` +
        "do not allow Auth0's certificate authority, fix DNS; Auth0 retries the renewal on its own.",
    ),
    kit.guide(
      'Self-managed certificate: renew it yourself',
      `Issue a new certificate for ${domain} and install it on the CDN or reverse proxy in front of Auth0 ` +
        `${kit.facts.renewsBefore === undefined ? 'before the current one expires' : `before ${kit.facts.renewsBefore.slice(0, 10)}`}. ` +
        'Check it afterwards in a browser or with: openssl s_client -connect ' +
        `${domain}:443 -servername ${domain}.`,
    ),
    recheck(kit),
  ];
};

export const customDomain = (kit: Kit): Step[] => {
  const domain = kit.facts.domain ?? 'your custom domain';
  return [
    kit.guide(
      'Understand what failed',
      `Auth0 reports ${domain} as failed: its DNS verification no longer passes. Logins through that domain ` +
        'may stop working and its certificate cannot be renewed.',
    ),
    kit.guide(
      'Check and restore the DNS record',
      `Compare the domain's CNAME (or TXT verification) record with what ${CUSTOM_DOMAINS} → ${domain} ` +
        `expects (dig CNAME ${domain}). Restore the record if it was removed or changed, then press Verify ` +
        'in the Dashboard. DNS changes can take a while to be seen.',
    ),
    kit.guide(
      'If a proxy or CDN serves the domain',
      'With a self-managed certificate, the proxy must forward to the Auth0 origin shown in the Dashboard and ' +
        'send the cname-api-key header. Check its configuration and logs for recent changes.',
    ),
    kit.guide(
      'Workaround while it is down',
      `Apps can log in through the tenant's own domain (${kit.domain}) for a while, but tokens then ` +
        'carry a different issuer: only do this if your APIs accept both issuers.',
    ),
    recheck(kit),
  ];
};

export const unknownSignal = (kit: Kit): Step[] => [
  kit.guide(
    'Read the evidence on this card',
    'Use the numbers on this card (top clients, IPs, connections and suspects) to see what is failing and ' +
      'since when. Auth0 Dashboard → Monitoring → Logs shows the individual events.',
  ),
  kit.guide(
    'Look for a recent change',
    'A change to an application, connection, Action or the tenant settings shortly before the start is ' +
      'the most likely cause. Undo it if so.',
  ),
  kit.guide('Escalate if you are unsure', 'Press Escalate to bring in the escalation group.'),
  recheck(kit),
];
