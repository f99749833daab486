// Azure Managed Redis / Redis Enterprise and Key Vault (customer-managed key) rules.

import { Rule } from '../rule';

export const enterpriseRules: Rule[] = [];
