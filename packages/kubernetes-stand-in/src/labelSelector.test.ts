import { InvalidSelector, parseLabelSelector } from './labelSelector';

const labels = {
  'app.kubernetes.io/name': 'payment-service',
  'backstage.io/kubernetes-id': 'payment-service',
  tier: 'critical',
};

describe('parseLabelSelector', () => {
  it.each([
    ['', true],
    ['backstage.io/kubernetes-id', true],
    ['!backstage.io/kubernetes-id', false],
    ['!team', true],
    ['tier=critical', true],
    ['tier==critical', true],
    ['tier = critical', true],
    ['tier!=critical', false],
    ['team!=payments', true],
    ['tier in (critical, standard)', true],
    ['tier notin (critical)', false],
    ['team notin (payments)', true],
    ['backstage.io/kubernetes-id=payment-service,tier=critical', true],
    ['backstage.io/kubernetes-id=payment-service,tier=batch', false],
    ['tier in (batch,critical),!team', true],
  ])('%j matches the labels: %s', (selector, expected) => {
    expect(parseLabelSelector(selector)(labels)).toBe(expected);
  });

  it('matches objects without labels only by absence', () => {
    expect(parseLabelSelector('!a,b!=c')(undefined)).toBe(true);
    expect(parseLabelSelector('a')(undefined)).toBe(false);
  });

  it.each(['a=(b', 'a,,b', '=b', 'a in b', 'bad key=x'])(
    'refuses %j',
    selector => {
      expect(() => parseLabelSelector(selector)).toThrow(InvalidSelector);
    },
  );
});
