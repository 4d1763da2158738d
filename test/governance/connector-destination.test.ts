import { describe, expect, it } from 'vitest';
import { DESTINATION_REFUSED, isRefusedDestination } from '../../src/governance/connector-destination.js';
import { validateSettingValue } from '../../src/governance/setting-catalog.js';

// Where a connector's base URL may never point, however the address is written (README "Connector configuration
// and secrets"): link-local IPv4 and IPv6, and the cloud metadata hosts. Every spelling the URL parser (the one
// fetch uses) turns into such an address is refused; loopback (the embedded FHIR server) and ordinary hosts are not.

const REFUSED: readonly (readonly [string, string])[] = [
  ['AWS/GCP/Azure metadata, https', 'https://169.254.169.254/latest/meta-data'],
  ['metadata, http', 'http://169.254.169.254/'],
  ['metadata, one hex number', 'https://0xa9fea9fe/'],
  ['metadata, one decimal number', 'https://2852039166/'],
  ['metadata, octal parts', 'https://0251.0376.0251.0376/'],
  ['metadata, mixed hex parts', 'https://0xa9.0xfe.0xa9.0xfe/'],
  ['metadata, two parts', 'https://169.16689662/'],
  ['metadata, trailing dot', 'https://169.254.169.254./'],
  ['metadata, percent-encoded', 'https://%31%36%39.254.169.254/'],
  ['link-local IPv4, any', 'https://169.254.1.1:8443/fhir'],
  ['link-local IPv6', 'https://[fe80::1]/fhir'],
  ['link-local IPv6, upper end of fe80::/10', 'https://[febf:ffff::1]/'],
  ['link-local IPv6, long form', 'https://[FE80:0:0:0:0:0:0:1]/'],
  ['AWS metadata over IPv6', 'https://[fd00:ec2::254]/latest/meta-data'],
  ['AWS metadata over IPv6, long form', 'https://[fd00:0ec2:0:0:0:0:0:254]/'],
  ['metadata as IPv4-mapped IPv6', 'https://[::ffff:169.254.169.254]/'],
  ['metadata as NAT64 IPv6', 'https://[64:ff9b::a9fe:a9fe]/'],
  ['metadata as NAT64 local-use IPv6 (RFC 8215)', 'https://[64:ff9b:1::a9fe:a9fe]/'],
  ['metadata as SIIT translated IPv6', 'https://[::ffff:0:a9fe:a9fe]/'],
  ['Alibaba Cloud metadata', 'https://100.100.100.200/latest/meta-data'],
  ['Alibaba Cloud metadata, one decimal number', 'http://1684301000/'],
  ['GCP metadata, other name', 'https://metadata.goog/computeMetadata/v1'],
  ['GCP metadata host', 'https://metadata.google.internal/computeMetadata/v1'],
  ['GCP metadata host, upper case and trailing dot', 'https://METADATA.Google.Internal./'],
  ['bare metadata host', 'http://metadata/computeMetadata/v1'],
  ['bare metadata host, https', 'https://metadata/'],
];

const ALLOWED: readonly (readonly [string, string])[] = [
  ['the embedded FHIR server (loopback)', 'http://127.0.0.1:4100/fhir/acme'],
  ['loopback as one hex number (normalized to 127.0.0.1)', 'http://0x7f000001:4100/fhir'],
  ['loopback as one decimal number', 'http://2130706433/fhir'],
  ['localhost', 'http://localhost:8080/fhir'],
  ['IPv6 loopback', 'http://[::1]:8080/fhir'],
  ['an EHR', 'https://fhir.ehr.example/R4'],
  ['a site-local IPv6 (not link-local)', 'https://[fec0::1]/fhir'],
  ['a host merely named like metadata', 'https://metadata.ehr.example/R4'],
  ['a private address next to the range', 'https://169.253.255.255/fhir'],
  ['the shared address space beside Alibaba metadata', 'https://100.100.100.201/fhir'],
  ['a NAT64 IPv6 of an ordinary address', 'https://[64:ff9b:1::c000:201]/fhir'],
];

describe('connector destinations', () => {
  it('the URL parser normalizes the numeric forms before the check', () => {
    expect(new URL('http://0x7f000001/').hostname).toBe('127.0.0.1');
    expect(new URL('http://2130706433/').hostname).toBe('127.0.0.1');
    expect(new URL('https://0251.0376.0251.0376/').hostname).toBe('169.254.169.254');
  });

  it.each(REFUSED)('refuses %s: %s', (_what, url) => {
    expect(isRefusedDestination(url)).toBe(true);
    for (const key of ['integration.ehr.baseUrl', 'integration.athena-east.baseUrl']) {
      const r = validateSettingValue(key, url);
      expect(r.ok).toBe(false);
      expect(!r.ok && r.problems).toContainEqual({ path: 'value', message: DESTINATION_REFUSED });
    }
    // A webhook route is an outbound URL too.
    const route = validateSettingValue('integration.webhookRoutes', [{ event: 'change.proposed', url }]);
    expect(!route.ok && route.problems.map((p) => p.message)).toContain(DESTINATION_REFUSED);
  });

  it.each(ALLOWED)('allows %s: %s', (_what, url) => {
    expect(isRefusedDestination(url)).toBe(false);
    const r = validateSettingValue('integration.ehr.baseUrl', url);
    expect(r.ok && r.value, JSON.stringify(r)).toBe(url);
  });
});
