import { graphql } from '../gql';

// Operations of the pages added in issue 15 (emergency stops, setting history, delivery log). Kept apart from
// ../operations.ts so each page's queries sit next to it; codegen scans both into the same trusted-documents manifest.

/** Can I do this, and why not: the API's own decision, asked before offering the action (never guessed). */
export const ExplainQuery = graphql(`
  query ConsoleExplain($action: String!, $environment: Environment) {
    explain(action: $action, environment: $environment) { action decision message reason }
  }
`);

export const StopStatesQuery = graphql(`
  query ConsoleStopStates($environment: Environment!) {
    stopStates(environment: $environment) {
      target environment stopped reason stoppedBy stoppedAt version
      pendingResume { id status approvalStatus { summary } }
    }
  }
`);

export const EmergencyStopMutation = graphql(`
  mutation ConsoleEmergencyStop($target: String!, $environment: Environment!, $reason: String!) {
    emergencyStop(target: $target, environment: $environment, reason: $reason) { target stopped version }
  }
`);

export const ResumeMutation = graphql(`
  mutation ConsoleResume($target: String!, $environment: Environment!, $reason: String, $ticket: String) {
    resume(target: $target, environment: $environment, reason: $reason, ticket: $ticket) {
      status changeRequest { id status approvalStatus { summary } }
    }
  }
`);

export const SettingHistoryQuery = graphql(`
  query ConsoleSettingHistory($key: String!, $environment: Environment!) {
    setting(key: $key, environment: $environment) { key environment version value risk pendingChange { id status } }
    settingHistory(key: $key, environment: $environment) { version value changedBy changeId at reason }
  }
`);

export const SettingDiffQuery = graphql(`
  query ConsoleSettingDiff($key: String!, $environment: Environment!, $from: Int!, $to: Int!) {
    settingDiff(key: $key, environment: $environment, fromVersion: $from, toVersion: $to) { entries { path op before after } }
  }
`);

export const RollbackSettingMutation = graphql(`
  mutation ConsoleRollbackSetting($key: String!, $environment: Environment!, $toVersion: Int!, $reason: String, $ticket: String) {
    rollbackSetting(key: $key, environment: $environment, toVersion: $toVersion, reason: $reason, ticket: $ticket) {
      status version changeRequest { id status approvalStatus { summary } }
    }
  }
`);

export const PromoteSettingMutation = graphql(`
  mutation ConsolePromoteSetting($key: String!, $reason: String, $ticket: String) {
    promoteSetting(key: $key, reason: $reason, ticket: $ticket) {
      status version changeRequest { id status approvalStatus { summary } }
    }
  }
`);

export const DeliveryLogAccessQuery = graphql(`
  query ConsoleDeliveryLogAccess {
    explainField(type: "Query", field: "auditEvents") { decision message }
  }
`);

export const DeliveryLogQuery = graphql(`
  query ConsoleDeliveryLog($action: String!, $first: Int, $after: String) {
    auditEvents(filter: { action: $action }, first: $first, after: $after) {
      edges { node { id seq action at outcome changeId environment target status detail } }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

export const FieldAccessQuery = graphql(`
  query ConsoleFieldAccess($type: String!, $field: String!) {
    explainField(type: $type, field: $field) { decision message }
  }
`);

export const AccessReviewQuery = graphql(`
  query ConsoleAccessReview($staleDays: Int!) {
    accessReview(staleDays: $staleDays) {
      flags lastUsedAt
      grant { id sub kind name source patientId departments grantedAt expiresAt active reason reviews { by at decision comment } }
    }
  }
`);

export const CompleteReviewMutation = graphql(`
  mutation ConsoleCompleteReview($assignee: String!, $grantId: ID!, $decision: ReviewDecision!, $comment: String) {
    completeReview(assignee: $assignee, grantId: $grantId, decision: $decision, comment: $comment) { id active }
  }
`);

export const PolicyVersionsQuery = graphql(`
  query ConsolePolicyVersions {
    policyVersions { version policyVersion changedBy changeId at }
  }
`);

export const PolicyDiffQuery = graphql(`
  query ConsolePolicyDiff($from: Int!, $to: Int!) {
    policyDiff(from: $from, to: $to) { path op before after }
  }
`);

export const ConnectorsQuery = graphql(`
  query ConsoleConnectors($environment: Environment!) {
    connectors(environment: $environment) {
      id environment baseUrl scopes writeBackEnabled stopped
      credentials { configured clientId method keyId version updatedAt updatedBy }
    }
    connectorHealth { connector circuit calls errors errorRate p50LatencyMs lastError lastErrorAt }
  }
`);

export const TestConnectorMutation = graphql(`
  mutation ConsoleTestConnector($id: String!, $environment: Environment!) {
    testConnector(connectorId: $id, environment: $environment) {
      reachable authenticated fhirVersion error supportedScopes unsupportedScopes steps { name outcome error }
    }
  }
`);

export const ConfigureConnectorMutation = graphql(`
  mutation ConsoleConfigureConnector($input: ConfigureConnectorInput!) {
    configureConnector(input: $input) { changes { key status changeRequestId } }
  }
`);

export const GenerateConnectorKeyMutation = graphql(`
  mutation ConsoleGenerateConnectorKey($id: String!, $environment: Environment!, $clientId: String, $reason: String) {
    generateConnectorKey(connectorId: $id, environment: $environment, clientId: $clientId, reason: $reason) {
      jwksPath change { key status changeRequestId }
    }
  }
`);

export const RotateConnectorSecretMutation = graphql(`
  mutation ConsoleRotateConnectorSecret($id: String!, $environment: Environment!, $secret: String!, $clientId: String, $reason: String) {
    rotateConnectorSecret(connectorId: $id, environment: $environment, clientSecret: $secret, clientId: $clientId, reason: $reason) {
      configured method version change { key status changeRequestId }
    }
  }
`);
