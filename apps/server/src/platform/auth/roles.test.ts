import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { can, permissionsOf } from './roles.ts';

describe('permissions', () => {
  it('lets acknowledging alerts come with the role, or with the production:update it used to need', () => {
    assert.equal(can(permissionsOf(['manager']), 'alerts:acknowledge'), true);
    assert.equal(can(permissionsOf(['manager']), 'production:update'), false);
    // A custom role or API token made before the narrow right existed.
    assert.equal(can(new Set(['production:read', 'production:update']), 'alerts:acknowledge'), true);
    assert.equal(can(permissionsOf(['viewer']), 'alerts:acknowledge'), false);
    assert.equal(can(permissionsOf(['operator']), 'alerts:acknowledge'), false);
    assert.equal(can(new Set(['*']), 'alerts:acknowledge'), true);
    // The narrow right does not carry the broad one.
    assert.equal(can(new Set(['alerts:acknowledge']), 'production:update'), false);
  });
});
