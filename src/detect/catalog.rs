//! The catalog of calls that create lasting access, hide activity, read credentials or destroy
//! data, per provider, as data: each entry is a lower-case pattern matched against the event's operation,
//! what it does, the provider documentation that names the call, and the operation exactly as a
//! documented record spells it (tested below, so a pattern that stops matching its own record
//! fails the build).

/// What a cataloged call does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    /// Mints an identity, a credential or a grant that outlives the leaked key, or reads or
    /// resets a resource's keys.
    Credential,
    /// Creates stored work that keeps the attacker's data or spend going (fine-tunes, files,
    /// assistants, batches, provisioned throughput).
    Lasting,
    /// Deletes or changes logging, a log sink, or a safety guardrail: hides what follows.
    Evasion,
    /// Deletes stored data or what holds it (a bucket, a database, a snapshot, a backup): what
    /// it held is lost unless a copy exists elsewhere.
    Destruction,
}

/// How a pattern is matched against the lower-cased operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Match {
    /// The operation contains the pattern.
    Contains,
    /// The operation ends with the pattern.
    EndsWith,
}

/// One cataloged call.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Entry {
    /// The provider whose logs spell the call this way (read by the tests).
    #[cfg_attr(not(test), allow(dead_code))]
    pub provider: &'static str,
    /// The lower-case pattern.
    pub pattern: &'static str,
    /// How it is matched.
    pub how: Match,
    /// What the call does.
    pub class: Class,
    /// The title of the provider documentation that names the call.
    pub source: &'static str,
    /// The operation as a documented or real record writes it (read by the tests).
    #[cfg_attr(not(test), allow(dead_code))]
    pub example: &'static str,
    /// The extra of the record that must be `"true"` for the call to be cataloged, where the
    /// call's name alone does not tell (`None`: the name tells).
    pub when: Option<&'static str>,
    /// The extra of the record that, `"true"`, keeps the call out of the catalog: a call its
    /// name catalogs unless its record says it did not do so (a share only taken back).
    pub unless: Option<&'static str>,
}

const fn e(
    provider: &'static str,
    pattern: &'static str,
    how: Match,
    class: Class,
    source: &'static str,
    example: &'static str,
) -> Entry {
    Entry {
        provider,
        pattern,
        how,
        class,
        source,
        example,
        when: None,
        unless: None,
    }
}

/// An entry that holds only when the record's extra `when` is `"true"` ([`Entry::when`]).
const fn e_when(
    provider: &'static str,
    pattern: &'static str,
    class: Class,
    source: &'static str,
    example: &'static str,
    when: &'static str,
) -> Entry {
    Entry {
        when: Some(when),
        ..e(provider, pattern, EndsWith, class, source, example)
    }
}

/// An entry that holds unless the record's extra `unless` is `"true"` ([`Entry::unless`]).
const fn e_unless(
    provider: &'static str,
    pattern: &'static str,
    class: Class,
    source: &'static str,
    example: &'static str,
    unless: &'static str,
) -> Entry {
    Entry {
        unless: Some(unless),
        ..e(provider, pattern, EndsWith, class, source, example)
    }
}

use Class::{Credential, Destruction, Evasion, Lasting};
use Match::{Contains, EndsWith};

const IAM_REF: &str = "AWS Identity and Access Management API Reference";
const BEDROCK_REF: &str = "Amazon Bedrock API Reference";
const CLOUDTRAIL_REF: &str = "AWS CloudTrail API Reference";
const S3_EVENTS: &str = "Amazon S3 User Guide: Amazon S3 CloudTrail events";
const RDS_REF: &str = "Amazon RDS API Reference";
const EC2_REF: &str = "Amazon EC2 API Reference";
const BACKUP_REF: &str = "AWS Backup API Reference";
const STS_REF: &str = "AWS Security Token Service API Reference";
const ROLES_ANYWHERE_REF: &str = "IAM Roles Anywhere API Reference";
const LAMBDA_REF: &str = "AWS Lambda API Reference";
const SECRETS_REF: &str = "AWS Secrets Manager API Reference";
const KMS_REF: &str = "AWS Key Management Service API Reference";
const SSM_REF: &str = "AWS Systems Manager API Reference";
const RESOLVER_REF: &str = "Amazon Route 53 API Reference: Route 53 Resolver";
const ORGANIZATIONS_REF: &str = "AWS Organizations API Reference";
const VERTEX_AUDIT: &str = "Vertex AI audit logging";
const GCS_AUDIT: &str = "Google Cloud Storage: Cloud Audit Logs (audited operations)";
const CLOUDSQL_AUDIT: &str = "Google Cloud SQL: Cloud Audit Logs (audited operations)";
const AZURE_STORAGE: &str = "Azure resource provider operations: Microsoft.Storage";
const OPENAI_AUDIT: &str = "OpenAI API Reference: Audit logs (audit log object types)";
const OPENAI_REF: &str = "OpenAI API Reference";
const ANTHROPIC_FEED: &str =
    "Claude Docs: Compliance API, Query compliance activities (activity types)";
const GCP_IAM: &str = "Google Cloud IAM audit logging (IAM API methods)";
const GCP_APIKEYS: &str = "Google Cloud API Keys API: audit logging";
const GCP_LOGGING: &str = "Google Cloud Logging API: projects.sinks";
const AZURE_OPS: &str = "Azure resource provider operations: Microsoft.CognitiveServices";
const AZURE_AUTH: &str =
    "Azure resource provider operations: Microsoft.Authorization and Microsoft.Insights";
const GITHUB_AUDIT: &str = "GitHub Docs: Audit log events for your organization";
const GITHUB_ENTERPRISE_AUDIT: &str = "GitHub Docs: Audit log events for your enterprise";
const GCP_LOGGING_BUCKETS: &str = "Google Cloud Logging API: projects.locations.buckets";
const GCP_LOGGING_EXCLUSIONS: &str = "Google Cloud Logging API: projects.exclusions";
const GCP_MODEL_ARMOR: &str = "Google Cloud Model Armor: audit logging";

/// Every cataloged call.
pub(crate) const CATALOG: &[Entry] = &[
    // AWS IAM: identities, keys, login profiles and policies that outlive the leaked key.
    e(
        "aws",
        "createuser",
        Contains,
        Credential,
        IAM_REF,
        "CreateUser",
    ),
    e(
        "aws",
        "createaccesskey",
        Contains,
        Credential,
        IAM_REF,
        "CreateAccessKey",
    ),
    e(
        "aws",
        "createloginprofile",
        Contains,
        Credential,
        IAM_REF,
        "CreateLoginProfile",
    ),
    e(
        "aws",
        "updateloginprofile",
        Contains,
        Credential,
        IAM_REF,
        "UpdateLoginProfile",
    ),
    e(
        "aws",
        "createrole",
        EndsWith,
        Credential,
        IAM_REF,
        "CreateRole",
    ),
    e(
        "aws",
        "attachuserpolicy",
        Contains,
        Credential,
        IAM_REF,
        "AttachUserPolicy",
    ),
    e(
        "aws",
        "attachrolepolicy",
        Contains,
        Credential,
        IAM_REF,
        "AttachRolePolicy",
    ),
    e(
        "aws",
        "putuserpolicy",
        Contains,
        Credential,
        IAM_REF,
        "PutUserPolicy",
    ),
    e(
        "aws",
        "putrolepolicy",
        Contains,
        Credential,
        IAM_REF,
        "PutRolePolicy",
    ),
    e(
        "aws",
        "createpolicy",
        Contains,
        Credential,
        IAM_REF,
        "CreatePolicyVersion",
    ),
    e(
        "aws",
        "updateassumerolepolicy",
        Contains,
        Credential,
        IAM_REF,
        "UpdateAssumeRolePolicy",
    ),
    e(
        "aws",
        "createservicespecificcredential",
        Contains,
        Credential,
        IAM_REF,
        "CreateServiceSpecificCredential",
    ),
    // AWS: credentials and trust that outlive the leaked key. Temporary credentials from
    // `GetFederationToken` stay valid (up to 36 hours) after the key that asked for them is
    // deleted; a Roles Anywhere trust anchor lets an outside certificate authority's
    // certificates take a role.
    e(
        "aws",
        "getfederationtoken",
        EndsWith,
        Credential,
        STS_REF,
        "GetFederationToken",
    ),
    e(
        "aws",
        "createtrustanchor",
        EndsWith,
        Credential,
        ROLES_ANYWHERE_REF,
        "CreateTrustAnchor",
    ),
    // AWS Lambda: a function opened to others (its resource policy), or its code or layers
    // replaced: a backdoor that runs after the key is revoked. CloudTrail names these calls
    // with their API version (`AddPermission20150331v2`).
    e(
        "aws",
        "addpermission",
        Contains,
        Credential,
        LAMBDA_REF,
        "AddPermission20150331v2",
    ),
    e(
        "aws",
        "updatefunctioncode",
        Contains,
        Credential,
        LAMBDA_REF,
        "UpdateFunctionCode20150331v2",
    ),
    e(
        "aws",
        "updatefunctionconfiguration",
        Contains,
        Credential,
        LAMBDA_REF,
        "UpdateFunctionConfiguration20150331v2",
    ),
    // AWS: a disk snapshot, a machine image or a database snapshot shared with another
    // account, or a security group opened to a network (MITRE ATT&CK T1537, Transfer Data to
    // Cloud Account). A call whose request only took a share back gives nothing.
    e_unless(
        "aws",
        "modifysnapshotattribute",
        Credential,
        EC2_REF,
        "ModifySnapshotAttribute",
        crate::evidence::event::SHARES_NOTHING,
    ),
    e_unless(
        "aws",
        "modifyimageattribute",
        Credential,
        EC2_REF,
        "ModifyImageAttribute",
        crate::evidence::event::SHARES_NOTHING,
    ),
    e_unless(
        "aws",
        "modifydbsnapshotattribute",
        Credential,
        RDS_REF,
        "ModifyDBSnapshotAttribute",
        crate::evidence::event::SHARES_NOTHING,
    ),
    e_unless(
        "aws",
        "modifydbclustersnapshotattribute",
        Credential,
        RDS_REF,
        "ModifyDBClusterSnapshotAttribute",
        crate::evidence::event::SHARES_NOTHING,
    ),
    e(
        "aws",
        "authorizesecuritygroupingress",
        EndsWith,
        Credential,
        EC2_REF,
        "AuthorizeSecurityGroupIngress",
    ),
    // AWS: stored secrets and instance passwords read (MITRE ATT&CK T1555.006, Cloud Secrets
    // Management Stores): they stay usable after the key is revoked, until rotated.
    e(
        "aws",
        "getsecretvalue",
        Contains,
        Credential,
        SECRETS_REF,
        "BatchGetSecretValue",
    ),
    e(
        "aws",
        "getpassworddata",
        EndsWith,
        Credential,
        EC2_REF,
        "GetPasswordData",
    ),
    // SSM Parameter Store read with `withDecryption`: SecureString values (passwords, keys)
    // returned in clear. Without it the same calls read configuration, everyday work.
    e_when(
        "aws",
        "getparameter",
        Credential,
        SSM_REF,
        "GetParameter",
        crate::evidence::event::WITH_DECRYPTION,
    ),
    e_when(
        "aws",
        "getparameters",
        Credential,
        SSM_REF,
        "GetParameters",
        crate::evidence::event::WITH_DECRYPTION,
    ),
    e_when(
        "aws",
        "getparametersbypath",
        Credential,
        SSM_REF,
        "GetParametersByPath",
        crate::evidence::event::WITH_DECRYPTION,
    ),
    e_when(
        "aws",
        "getparameterhistory",
        Credential,
        SSM_REF,
        "GetParameterHistory",
        crate::evidence::event::WITH_DECRYPTION,
    ),
    // AWS S3: a bucket or object opened to others (a bucket policy or ACL that grants access,
    // the bucket's block on public access removed): access that outlives the leaked key.
    e(
        "aws",
        "putbucketpolicy",
        Contains,
        Credential,
        S3_EVENTS,
        "PutBucketPolicy",
    ),
    e(
        "aws",
        "putbucketacl",
        Contains,
        Credential,
        S3_EVENTS,
        "PutBucketAcl",
    ),
    e(
        "aws",
        "putobjectacl",
        Contains,
        Credential,
        S3_EVENTS,
        "PutObjectAcl",
    ),
    e(
        "aws",
        "deletebucketpublicaccessblock",
        Contains,
        Credential,
        S3_EVENTS,
        "DeleteBucketPublicAccessBlock",
    ),
    // A bucket set to serve its objects as a website: hosting that outlives the leaked key.
    e(
        "aws",
        "putbucketwebsite",
        Contains,
        Credential,
        S3_EVENTS,
        "PutBucketWebsite",
    ),
    // AWS: data stores, their snapshots and backups deleted (MITRE ATT&CK T1485, Data
    // Destruction; T1490, Inhibit System Recovery).
    e(
        "aws",
        "deletebucket",
        EndsWith,
        Destruction,
        S3_EVENTS,
        "DeleteBucket",
    ),
    e(
        "aws",
        "deletedbinstance",
        EndsWith,
        Destruction,
        RDS_REF,
        "DeleteDBInstance",
    ),
    e(
        "aws",
        "deletedbcluster",
        EndsWith,
        Destruction,
        RDS_REF,
        "DeleteDBCluster",
    ),
    e(
        "aws",
        "deletedbsnapshot",
        EndsWith,
        Destruction,
        RDS_REF,
        "DeleteDBSnapshot",
    ),
    e(
        "aws",
        "deletedbclustersnapshot",
        EndsWith,
        Destruction,
        RDS_REF,
        "DeleteDBClusterSnapshot",
    ),
    e(
        "aws",
        "deletesnapshot",
        EndsWith,
        Destruction,
        EC2_REF,
        "DeleteSnapshot",
    ),
    e(
        "aws",
        "deletebackupvault",
        EndsWith,
        Destruction,
        BACKUP_REF,
        "DeleteBackupVault",
    ),
    e(
        "aws",
        "deleterecoverypoint",
        EndsWith,
        Destruction,
        BACKUP_REF,
        "DeleteRecoveryPoint",
    ),
    // AWS KMS: a key disabled or scheduled for deletion. Nothing encrypted under it can be
    // decrypted while it is disabled, and nothing ever once it is deleted, at the end of a
    // waiting period of 7 to 30 days.
    e(
        "aws",
        "schedulekeydeletion",
        EndsWith,
        Destruction,
        KMS_REF,
        "ScheduleKeyDeletion",
    ),
    e(
        "aws",
        "disablekey",
        EndsWith,
        Destruction,
        KMS_REF,
        "DisableKey",
    ),
    // AWS: logging and guardrails.
    e(
        "aws_bedrock",
        "deletemodelinvocationloggingconfiguration",
        EndsWith,
        Evasion,
        BEDROCK_REF,
        "DeleteModelInvocationLoggingConfiguration",
    ),
    e(
        "aws_bedrock",
        "putmodelinvocationloggingconfiguration",
        EndsWith,
        Evasion,
        BEDROCK_REF,
        "PutModelInvocationLoggingConfiguration",
    ),
    e(
        "aws_bedrock",
        "deleteguardrail",
        EndsWith,
        Evasion,
        BEDROCK_REF,
        "DeleteGuardrail",
    ),
    e(
        "aws_bedrock",
        "updateguardrail",
        EndsWith,
        Evasion,
        BEDROCK_REF,
        "UpdateGuardrail",
    ),
    e(
        "aws",
        "stoplogging",
        EndsWith,
        Evasion,
        CLOUDTRAIL_REF,
        "StopLogging",
    ),
    e(
        "aws",
        "deletetrail",
        EndsWith,
        Evasion,
        CLOUDTRAIL_REF,
        "DeleteTrail",
    ),
    e(
        "aws",
        "updatetrail",
        EndsWith,
        Evasion,
        CLOUDTRAIL_REF,
        "UpdateTrail",
    ),
    e(
        "aws",
        "puteventselectors",
        EndsWith,
        Evasion,
        CLOUDTRAIL_REF,
        "PutEventSelectors",
    ),
    // AWS: network and DNS logs deleted, and the account taken out of its organization (out of
    // the organization's trail and its service control policies).
    e(
        "aws",
        "deleteflowlogs",
        EndsWith,
        Evasion,
        EC2_REF,
        "DeleteFlowLogs",
    ),
    e(
        "aws",
        "deleteresolverquerylogconfig",
        EndsWith,
        Evasion,
        RESOLVER_REF,
        "DeleteResolverQueryLogConfig",
    ),
    e(
        "aws",
        "leaveorganization",
        EndsWith,
        Evasion,
        ORGANIZATIONS_REF,
        "LeaveOrganization",
    ),
    // AWS Bedrock: stored work.
    e(
        "aws_bedrock",
        "createmodelcustomizationjob",
        Contains,
        Lasting,
        BEDROCK_REF,
        "CreateModelCustomizationJob",
    ),
    e(
        "aws_bedrock",
        "createprovisionedmodelthroughput",
        Contains,
        Lasting,
        BEDROCK_REF,
        "CreateProvisionedModelThroughput",
    ),
    // Batch inference jobs (the OpenAI pattern below is for its API's paths only).
    e(
        "aws_bedrock",
        "createmodelinvocationjob",
        EndsWith,
        Lasting,
        BEDROCK_REF,
        "CreateModelInvocationJob",
    ),
    e(
        "gcp",
        "createbatchpredictionjob",
        EndsWith,
        Lasting,
        VERTEX_AUDIT,
        "google.cloud.aiplatform.v1.JobService.CreateBatchPredictionJob",
    ),
    // OpenAI organisation audit log.
    e(
        "openai",
        "api_key.created",
        Contains,
        Credential,
        OPENAI_AUDIT,
        "api_key.created",
    ),
    e(
        "openai",
        "service_account.created",
        Contains,
        Credential,
        OPENAI_AUDIT,
        "service_account.created",
    ),
    e(
        "openai",
        "user.added",
        Contains,
        Credential,
        OPENAI_AUDIT,
        "user.added",
    ),
    e(
        "openai",
        "invite.sent",
        Contains,
        Credential,
        OPENAI_AUDIT,
        "invite.sent",
    ),
    e(
        "openai",
        "project.created",
        Contains,
        Credential,
        OPENAI_AUDIT,
        "project.created",
    ),
    e(
        "openai",
        "role.assignment.created",
        Contains,
        Credential,
        OPENAI_AUDIT,
        "role.assignment.created",
    ),
    // OpenAI: the IP allowlist (a guardrail) widened, removed or switched off; API call
    // logging changed.
    e(
        "openai",
        "ip_allowlist.updated",
        Contains,
        Evasion,
        OPENAI_AUDIT,
        "ip_allowlist.updated",
    ),
    e(
        "openai",
        "ip_allowlist.deleted",
        Contains,
        Evasion,
        OPENAI_AUDIT,
        "ip_allowlist.deleted",
    ),
    e(
        "openai",
        "ip_allowlist.config.deactivated",
        Contains,
        Evasion,
        OPENAI_AUDIT,
        "ip_allowlist.config.deactivated",
    ),
    e(
        "openai",
        "organization.updated (api_call_logging)",
        Contains,
        Evasion,
        OPENAI_AUDIT,
        "organization.updated (api_call_logging)",
    ),
    // OpenAI: stored work (usage and request logs name the endpoint).
    e(
        "openai",
        "fine_tun",
        Contains,
        Lasting,
        OPENAI_REF,
        "fine_tuning.jobs",
    ),
    e(
        "openai",
        "fine-tun",
        Contains,
        Lasting,
        OPENAI_REF,
        "/v1/fine-tunes",
    ),
    e(
        "openai", "finetun", Contains, Lasting, OPENAI_REF, "finetune",
    ),
    e(
        "openai",
        "/files",
        Contains,
        Lasting,
        OPENAI_REF,
        "/v1/files",
    ),
    e(
        "openai",
        "files.create",
        Contains,
        Lasting,
        OPENAI_REF,
        "files.create",
    ),
    e(
        "openai",
        "file.created",
        Contains,
        Lasting,
        OPENAI_REF,
        "file.created",
    ),
    e(
        "openai",
        "assistants",
        Contains,
        Lasting,
        OPENAI_REF,
        "/v1/assistants",
    ),
    e(
        "openai",
        "/threads",
        Contains,
        Lasting,
        OPENAI_REF,
        "/v1/threads",
    ),
    e(
        "openai",
        "/batches",
        Contains,
        Lasting,
        OPENAI_REF,
        "/v1/batches",
    ),
    // Anthropic organisation activity (Compliance API activity feed).
    e(
        "anthropic",
        "api_key_created",
        EndsWith,
        Credential,
        ANTHROPIC_FEED,
        "admin_api_key_created",
    ),
    e(
        "anthropic",
        "api_key_updated",
        EndsWith,
        Credential,
        ANTHROPIC_FEED,
        "admin_api_key_updated",
    ),
    e(
        "anthropic",
        "role_assignment_granted",
        EndsWith,
        Credential,
        ANTHROPIC_FEED,
        "role_assignment_granted",
    ),
    // Anthropic: guardrails removed (the organisation's IP restriction, a spend limit).
    e(
        "anthropic",
        "ip_restriction_deleted",
        EndsWith,
        Evasion,
        ANTHROPIC_FEED,
        "org_ip_restriction_deleted",
    ),
    e(
        "anthropic",
        "spend_limit_deleted",
        EndsWith,
        Evasion,
        ANTHROPIC_FEED,
        "platform_spend_limit_deleted",
    ),
    // GCP: service accounts, their keys, API keys, IAM policies, log sinks.
    e(
        "gcp",
        "serviceaccount.create",
        Contains,
        Credential,
        GCP_IAM,
        "iam.serviceAccount.create",
    ),
    e(
        "gcp",
        "service_account.created",
        Contains,
        Credential,
        GCP_IAM,
        "service_account.created",
    ),
    e(
        "gcp",
        "createserviceaccount",
        Contains,
        Credential,
        GCP_IAM,
        "google.iam.admin.v1.CreateServiceAccountKey",
    ),
    e(
        "gcp",
        "apikeys.create",
        Contains,
        Credential,
        GCP_APIKEYS,
        "apikeys.create",
    ),
    e(
        "gcp",
        "apikeys.v2.apikeys.createkey",
        Contains,
        Credential,
        GCP_APIKEYS,
        "google.api.apikeys.v2.ApiKeys.CreateKey",
    ),
    e(
        "gcp",
        "setiampolicy",
        Contains,
        Credential,
        GCP_IAM,
        "SetIamPolicy",
    ),
    e(
        "gcp",
        "deletesink",
        EndsWith,
        Evasion,
        GCP_LOGGING,
        "google.logging.v2.ConfigServiceV2.DeleteSink",
    ),
    e(
        "gcp",
        "updatesink",
        EndsWith,
        Evasion,
        GCP_LOGGING,
        "google.logging.v2.ConfigServiceV2.UpdateSink",
    ),
    e(
        "gcp",
        "configservicev2.deletebucket",
        EndsWith,
        Evasion,
        GCP_LOGGING_BUCKETS,
        "google.logging.v2.ConfigServiceV2.DeleteBucket",
    ),
    e(
        "gcp",
        "configservicev2.createexclusion",
        EndsWith,
        Evasion,
        GCP_LOGGING_EXCLUSIONS,
        "google.logging.v2.ConfigServiceV2.CreateExclusion",
    ),
    // GCP: Model Armor templates, the guardrail screening prompts and responses.
    e(
        "gcp",
        "modelarmor.updatetemplate",
        EndsWith,
        Evasion,
        GCP_MODEL_ARMOR,
        "google.cloud.modelarmor.v1.ModelArmor.UpdateTemplate",
    ),
    e(
        "gcp",
        "modelarmor.updatefloorsetting",
        EndsWith,
        Evasion,
        GCP_MODEL_ARMOR,
        "google.cloud.modelarmor.v1.ModelArmor.UpdateFloorSetting",
    ),
    e(
        "gcp",
        "modelarmor.deletetemplate",
        EndsWith,
        Evasion,
        GCP_MODEL_ARMOR,
        "google.cloud.modelarmor.v1.ModelArmor.DeleteTemplate",
    ),
    // Google Cloud: a Cloud Storage bucket or a Cloud SQL instance deleted.
    e(
        "gcp",
        "storage.buckets.delete",
        EndsWith,
        Destruction,
        GCS_AUDIT,
        "storage.buckets.delete",
    ),
    e(
        "gcp",
        "cloudsql.instances.delete",
        EndsWith,
        Destruction,
        CLOUDSQL_AUDIT,
        "cloudsql.instances.delete",
    ),
    // Azure: reading or resetting an account's keys, role assignments, diagnostic settings.
    e(
        "azure_openai",
        "/listkeys/action",
        EndsWith,
        Credential,
        AZURE_OPS,
        "Microsoft.CognitiveServices/accounts/listKeys/action",
    ),
    e(
        "azure_openai",
        "/regeneratekey/action",
        EndsWith,
        Credential,
        AZURE_OPS,
        "Microsoft.CognitiveServices/accounts/regenerateKey/action",
    ),
    e(
        "azure",
        "roleassignments/write",
        Contains,
        Credential,
        AZURE_AUTH,
        "Microsoft.Authorization/roleAssignments/write",
    ),
    e(
        "azure",
        "diagnosticsettings/delete",
        Contains,
        Evasion,
        AZURE_AUTH,
        "Microsoft.Insights/diagnosticSettings/delete",
    ),
    e(
        "azure",
        "elevateaccess/action",
        EndsWith,
        Credential,
        AZURE_AUTH,
        "Microsoft.Authorization/elevateAccess/action",
    ),
    // Azure: a storage account, or an Azure OpenAI resource with its deployments, deleted.
    e(
        "azure",
        "microsoft.storage/storageaccounts/delete",
        EndsWith,
        Destruction,
        AZURE_STORAGE,
        "Microsoft.Storage/storageAccounts/delete",
    ),
    e(
        "azure_openai",
        "microsoft.cognitiveservices/accounts/delete",
        EndsWith,
        Destruction,
        AZURE_OPS,
        "Microsoft.CognitiveServices/accounts/delete",
    ),
    // Azure OpenAI content filters (RAI policies), the guardrail on a deployment.
    e(
        "azure_openai",
        "/raipolicies/write",
        EndsWith,
        Evasion,
        AZURE_OPS,
        "Microsoft.CognitiveServices/accounts/raiPolicies/write",
    ),
    e(
        "azure_openai",
        "/raipolicies/delete",
        EndsWith,
        Evasion,
        AZURE_OPS,
        "Microsoft.CognitiveServices/accounts/raiPolicies/delete",
    ),
    // GitHub organisation audit log.
    e(
        "github",
        "personal_access_token.access_granted",
        Contains,
        Credential,
        GITHUB_AUDIT,
        "personal_access_token.access_granted",
    ),
    e(
        "github",
        "oauth_authorization.create",
        Contains,
        Credential,
        GITHUB_AUDIT,
        "oauth_authorization.create",
    ),
    e(
        "github",
        "oauth_application.create",
        Contains,
        Credential,
        GITHUB_AUDIT,
        "oauth_application.create",
    ),
    e(
        "github",
        "public_key.create",
        Contains,
        Credential,
        GITHUB_AUDIT,
        "public_key.create",
    ),
    e(
        "github",
        "deploy_key.create",
        Contains,
        Credential,
        GITHUB_AUDIT,
        "deploy_key.create",
    ),
    e(
        "github",
        "integration_installation.create",
        Contains,
        Credential,
        GITHUB_AUDIT,
        "integration_installation.create",
    ),
    e(
        "github",
        "org.add_member",
        Contains,
        Credential,
        GITHUB_AUDIT,
        "org.add_member",
    ),
    e(
        "github",
        "org.invite_member",
        Contains,
        Credential,
        GITHUB_AUDIT,
        "org.invite_member",
    ),
    e(
        "github",
        "hook.create",
        Contains,
        Lasting,
        GITHUB_AUDIT,
        "hook.create",
    ),
    // GitHub: guardrails switched off (secret scanning, push protection, Advanced Security,
    // branch protection) and audit log streaming removed or changed.
    e(
        "github",
        "secret_scanning.disable",
        Contains,
        Evasion,
        GITHUB_AUDIT,
        "secret_scanning.disable",
    ),
    e(
        "github",
        "secret_scanning_push_protection.disable",
        Contains,
        Evasion,
        GITHUB_AUDIT,
        "repository_secret_scanning_push_protection.disable",
    ),
    e(
        "github",
        "secret_scanning_new_repos.disable",
        Contains,
        Evasion,
        GITHUB_AUDIT,
        "secret_scanning_new_repos.disable",
    ),
    e(
        "github",
        "advanced_security.disable",
        Contains,
        Evasion,
        GITHUB_ENTERPRISE_AUDIT,
        "business_advanced_security.disabled",
    ),
    e(
        "github",
        "protected_branch.destroy",
        Contains,
        Evasion,
        GITHUB_AUDIT,
        "protected_branch.destroy",
    ),
    e(
        "github",
        "audit_log_streaming.destroy",
        Contains,
        Evasion,
        GITHUB_ENTERPRISE_AUDIT,
        "audit_log_streaming.destroy",
    ),
    e(
        "github",
        "audit_log_streaming.update",
        Contains,
        Evasion,
        GITHUB_ENTERPRISE_AUDIT,
        "audit_log_streaming.update",
    ),
];

impl Entry {
    /// Whether the entry's pattern matches a lower-cased operation.
    fn matches(&self, op_lower: &str) -> bool {
        match self.how {
            Match::Contains => op_lower.contains(self.pattern),
            Match::EndsWith => op_lower.ends_with(self.pattern),
        }
    }
}

/// The class of the first entry matching a lower-cased operation, if any, among those its name
/// alone tells ([`Entry::when`] unset). Evasion wins over the rest, then credentials, then
/// lasting work (a call is flagged once, for its worst).
pub(crate) fn classify(op_lower: &str) -> Option<Class> {
    classify_where(op_lower, &|e| e.when.is_none())
}

/// Whether an entry that holds or not by an extra of its record matches the operation: such
/// a row is classed by [`classify_with`].
pub(crate) fn conditional(op_lower: &str) -> bool {
    CATALOG
        .iter()
        .any(|e| (e.when.is_some() || e.unless.is_some()) && e.matches(op_lower))
}

/// The class of a lower-cased operation whose record's extras are `extra`: an entry with an
/// [`Entry::when`] holds when that extra is `"true"`, one with an [`Entry::unless`] unless it
/// is.
pub(crate) fn classify_with<'a>(
    op_lower: &str,
    extra: &dyn Fn(&str) -> Option<&'a str>,
) -> Option<Class> {
    classify_where(op_lower, &|e| {
        e.when.is_none_or(|w| extra(w) == Some("true"))
            && e.unless.is_none_or(|u| extra(u) != Some("true"))
    })
}

/// [`classify`] among the entries `holds` keeps.
fn classify_where(op_lower: &str, holds: &dyn Fn(&Entry) -> bool) -> Option<Class> {
    let hit = |c: Class| {
        CATALOG
            .iter()
            .any(|e| e.class == c && e.matches(op_lower) && holds(e))
    };
    [
        Class::Evasion,
        Class::Credential,
        Class::Lasting,
        Class::Destruction,
    ]
    .into_iter()
    .find(|&c| hit(c))
}

/// The patterns of the credential entries that read a secret, a password or a key rather than
/// make one: what they read is rotated, not removed.
const READS: &[&str] = &[
    "getsecretvalue",
    "getpassworddata",
    "/listkeys/action",
    "getparameter",
    "getparameters",
    "getparametersbypath",
    "getparameterhistory",
];

/// Whether a lower-cased operation reads a stored secret, password or key ([`READS`]).
pub(crate) fn reads_secret(op_lower: &str) -> bool {
    CATALOG
        .iter()
        .any(|e| READS.contains(&e.pattern) && e.matches(op_lower))
}

/// The documentation titles of the entries matching a lower-cased operation.
/// Only entries of the class the operation takes count (Cloud Logging's `DeleteBucket` also
/// ends like S3's, but it is the log bucket's).
/// An entry that holds only with an extra is cited as if it held (only flagged rows are cited).
pub(crate) fn sources(op_lower: &str) -> Vec<&'static str> {
    let class = classify_where(op_lower, &|_| true);
    let mut v: Vec<&'static str> = CATALOG
        .iter()
        .filter(|e| Some(e.class) == class && e.matches(op_lower))
        .map(|e| e.source)
        .collect();
    v.dedup();
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entry_matches_its_documented_record_and_names_its_source() {
        for e in CATALOG {
            let op = e.example.to_ascii_lowercase();
            // An entry that holds only with an extra holds with it, and not without it.
            let with = |k: &str| (Some(k) == e.when).then_some("true");
            if e.when.is_some() {
                assert_eq!(classify(&op), None, "{} without {:?}", e.example, e.when);
                assert!(conditional(&op), "{}", e.example);
            }
            // One that holds unless an extra says otherwise holds without it, not with it.
            if let Some(u) = e.unless {
                let said = |k: &str| (k == u).then_some("true");
                assert_eq!(classify(&op), Some(e.class), "{}", e.example);
                assert_eq!(classify_with(&op, &said), None, "{} with {u}", e.example);
                assert!(conditional(&op), "{}", e.example);
            }
            assert_eq!(
                classify_with(&op, &with),
                Some(e.class),
                "{} {} does not classify as {:?}",
                e.provider,
                e.example,
                e.class
            );
            assert!(!e.source.is_empty() && !e.provider.is_empty());
            assert_eq!(e.pattern, e.pattern.to_ascii_lowercase());
        }
    }

    /// A name two providers end alike is classed, and cited, by the entry of its own class.
    #[test]
    fn a_log_bucket_deleted_is_evasion_and_an_s3_bucket_deleted_is_destruction() {
        let log = "google.logging.v2.configservicev2.deletebucket";
        assert_eq!(classify(log), Some(Class::Evasion));
        assert_eq!(sources(log), [GCP_LOGGING_BUCKETS]);
        assert_eq!(classify("deletebucket"), Some(Class::Destruction));
        assert_eq!(sources("deletebucket"), [S3_EVENTS]);
    }

    #[test]
    fn the_reads_are_credential_entries_and_nothing_else_reads() {
        for r in READS {
            let e = CATALOG.iter().find(|e| e.pattern == *r);
            assert!(e.is_some_and(|e| e.class == Class::Credential), "{r}");
        }
        for op in [
            "getsecretvalue",
            "batchgetsecretvalue",
            "getpassworddata",
            "getparameters",
        ] {
            assert!(reads_secret(op), "{op}");
        }
        for op in ["createaccesskey", "getfederationtoken", "putsecretvalue"] {
            assert!(!reads_secret(op), "{op}");
        }
    }

    #[test]
    fn everyday_calls_are_not_in_the_catalog() {
        for op in [
            "invokemodel",
            "converse",
            "listguardrails",
            "getmodelinvocationloggingconfiguration",
            "login.succeeded",
            "git.clone",
            "google.cloud.aiplatform.v1.predictionservice.generatecontent",
            "microsoft.cognitiveservices/accounts/read",
            "sso_login_succeeded",
            "getuser",
            "listaccesskeys",
            "ip_allowlist.created",
            "ip_allowlist.config.activated",
            "organization.updated",
            "platform_spend_limit_created",
            "google.logging.v2.configservicev2.getbucket",
            "microsoft.insights/diagnosticsettings/write",
            "secret_scanning.enable",
            "protected_branch.update_name",
            "getbucketpolicy",
            "getbucketacl",
            "getobjectacl",
            "putobject",
            "listbuckets",
            "putbucketpublicaccessblock",
            "getbucketpublicaccessblock",
            "getbucketwebsite",
            "deletebucketpolicy",
            "deletebucketwebsite",
            "deleteobject",
            "deleteobjects",
            "createdbsnapshot",
            "describedbsnapshots",
            "storage.buckets.get",
            "storage.objects.delete",
            "microsoft.storage/storageaccounts/read",
            "microsoft.cognitiveservices/accounts/deployments/delete",
            // Everyday AWS calls that other providers' patterns must not take (a batch is
            // OpenAI's stored work, not DynamoDB's or ECR's batch calls).
            "batchgetitem",
            "batchwriteitem",
            "batchgetimage",
            "batchchecklayeravailability",
            "getfunction20150331v2",
            "describesnapshotattribute",
            "describesecuritygroups",
            "listsecrets",
            "describesecret",
            "getcalleridentity",
            "getsessiontoken",
            // Configuration read from Parameter Store without decrypting SecureString values.
            "getparameter",
            "getparameters",
            "getparametersbypath",
            "describeparameters",
            // A key's everyday use, and the calls that undo a deletion or disabling.
            "decrypt",
            "generatedatakey",
            "describekey",
            "disablekeyrotation",
            "enablekey",
            "cancelkeydeletion",
        ] {
            assert_eq!(classify(op), None, "{op}");
            assert_eq!(classify_with(op, &|_| None), None, "{op}");
        }
    }
}
