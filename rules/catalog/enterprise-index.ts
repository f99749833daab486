// Azure Managed Redis / Redis Enterprise and Key Vault (customer-managed key) rules.

import { Rule } from '../rule';
import { keyvaultCmkAccess } from './keyvault-cmk-access';
import { keyvaultCmkNetwork } from './keyvault-cmk-network';
import { keyvaultCmkRecoverable } from './keyvault-cmk-recoverable';
import { keyvaultCmkRsaKey } from './keyvault-cmk-rsa-key';
import { keyvaultCmkSameRegion } from './keyvault-cmk-same-region';
import { redisEnterpriseCmk } from './redis-enterprise-cmk';
import { redisEnterpriseCmkIdentity } from './redis-enterprise-cmk-identity';
import { redisEnterpriseConnectionLogs } from './redis-enterprise-connection-logs';
import { redisEnterpriseDisableAccessKeys } from './redis-enterprise-disable-access-keys';
import { redisEnterpriseDisablePublicNetwork } from './redis-enterprise-disable-public-network';
import { redisEnterpriseEncryptedProtocol } from './redis-enterprise-encrypted-protocol';
import { redisEnterpriseMinTls } from './redis-enterprise-min-tls';
import { redisEnterprisePrivateLink } from './redis-enterprise-private-link';
import { redisEnterpriseRetiredSku } from './redis-enterprise-retired-sku';

/** In the order of rules.md. */
export const enterpriseRules: Rule[] = [
  redisEnterpriseMinTls,
  redisEnterpriseDisablePublicNetwork,
  redisEnterpriseEncryptedProtocol,
  redisEnterpriseDisableAccessKeys,
  redisEnterpriseRetiredSku,
  redisEnterpriseCmk,
  redisEnterpriseCmkIdentity,
  redisEnterpriseConnectionLogs,
  redisEnterprisePrivateLink,
  keyvaultCmkRecoverable,
  keyvaultCmkSameRegion,
  keyvaultCmkRsaKey,
  keyvaultCmkNetwork,
  keyvaultCmkAccess,
];
