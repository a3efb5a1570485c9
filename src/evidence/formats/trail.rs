//! A CloudTrail record's fields, read three ways that give the same: heard while the hand walk
//! of a trail file reads its tokens ([`Heard`]), read again in one pass over the record's text
//! ([`Trail::read`]), or by serde. Each of the first two gives up on what it does not read
//! plainly (an escape in a field read, a value of an unexpected type, a field given twice), and
//! the next one reads the record.

use crate::evidence::record::{Record, Scalar};
use crate::evidence::tokens::{Ear, Tok};
use serde::Deserialize;
use serde_json::Value;

/// The top-level fields read: the string fields first, then the others by their index here.
const TOP: [&str; 15] = [
    "eventTime",
    "eventSource",
    "eventName",
    "awsRegion",
    "sourceIPAddress",
    "userAgent",
    "errorCode",
    "errorMessage",
    "eventID",
    "recipientAccountId",
    "userIdentity",
    "requestParameters",
    "responseElements",
    "additionalEventData",
    "sessionCredentialFromConsole",
];
/// The fields of `userIdentity` read.
const IDENTITY: [&str; 4] = ["arn", "accountId", "accessKeyId", "userName"];
/// The fields of `requestParameters` read: [`PARAMS_STRINGS`] strings, `withDecryption`, then
/// the lists of accounts a snapshot or image is shared with or unshared from and of the
/// parameters and secrets a call read, which only serde reads (the others give up on a record
/// that gives one, such calls being rare; `names` only when read with decryption).
const PARAMS: [&str; 25] = [
    "modelId",
    "serviceName",
    "userName",
    "accessKeyId",
    "roleName",
    "policyArn",
    "policyName",
    "groupName",
    "guardrailIdentifier",
    "name",
    "bucketName",
    "keyId",
    "secretId",
    "instanceId",
    "snapshotId",
    "imageId",
    "dBSnapshotIdentifier",
    "dBClusterSnapshotIdentifier",
    // A boolean: SSM's `GetParameter(s)` asked to decrypt SecureString values.
    "withDecryption",
    // Objects and arrays (EC2's `ModifySnapshotAttribute`, `ModifyImageAttribute`; RDS's
    // `ModifyDBSnapshotAttribute`, `ModifyDBClusterSnapshotAttribute`).
    "createVolumePermission",
    "launchPermission",
    "valuesToAdd",
    "valuesToRemove",
    // Lists of what a call read: SSM's `GetParameters` names, Secrets Manager's
    // `BatchGetSecretValue` secret ids.
    "names",
    "secretIdList",
];
/// The string fields of [`PARAMS`], first; `withDecryption` follows them.
const PARAMS_STRINGS: usize = 18;
/// `names` in [`PARAMS`]: SSM's `GetParameters` reads them many times a day for configuration,
/// so the hand readers pass the list over and give up only when it was read with decryption.
const PARAMS_NAMES: usize = 23;
/// The fields of `responseElements` read: the objects naming what was made, then a string.
const RESPONSE: [&str; 7] = [
    "accessKey",
    "user",
    "role",
    "policy",
    "loginProfile",
    "credentials",
    "guardrailId",
];
/// The fields read of each object of `responseElements` that names what was made.
const NAMED: [&str; 4] = ["accessKeyId", "userName", "roleName", "arn"];
/// The fields of `additionalEventData` read.
const ADDITIONAL: [&str; 3] = ["inferenceRegion", "callWithBearerToken", "MFAUsed"];

/// A CloudTrail record's fields read into strings borrowed from the input.
#[derive(Debug, Default, PartialEq, Deserialize)]
pub(super) struct Trail<'a> {
    #[serde(borrow, rename = "eventTime")]
    pub(super) event_time: Option<&'a str>,
    #[serde(borrow, rename = "eventSource")]
    pub(super) event_source: Option<&'a str>,
    #[serde(borrow, rename = "eventName")]
    pub(super) event_name: Option<&'a str>,
    #[serde(borrow, rename = "awsRegion")]
    pub(super) aws_region: Option<&'a str>,
    #[serde(borrow, rename = "sourceIPAddress")]
    pub(super) source_ip: Option<&'a str>,
    #[serde(borrow, rename = "userAgent")]
    pub(super) user_agent: Option<&'a str>,
    #[serde(borrow, rename = "errorCode")]
    pub(super) error_code: Option<&'a str>,
    #[serde(borrow, rename = "errorMessage")]
    pub(super) error_message: Option<&'a str>,
    #[serde(borrow, rename = "eventID")]
    pub(super) event_id: Option<&'a str>,
    #[serde(borrow, rename = "recipientAccountId")]
    pub(super) recipient: Option<&'a str>,
    #[serde(borrow, rename = "userIdentity")]
    pub(super) identity: Option<TrailIdentity<'a>>,
    #[serde(borrow, rename = "requestParameters")]
    pub(super) params: Option<TrailParams<'a>>,
    #[serde(borrow, rename = "responseElements")]
    pub(super) response: Option<TrailResponse<'a>>,
    #[serde(borrow, rename = "additionalEventData")]
    pub(super) additional: Option<TrailAdditional<'a>>,
    /// `"true"` (a string in CloudTrail, a boolean in some SIEM copies) when the call was made
    /// with a console session's credentials.
    #[serde(rename = "sessionCredentialFromConsole")]
    pub(super) from_console: Option<Value>,
}

#[derive(Debug, Default, PartialEq, Deserialize)]
pub(super) struct TrailIdentity<'a> {
    #[serde(borrow)]
    pub(super) arn: Option<&'a str>,
    #[serde(borrow, rename = "accountId")]
    pub(super) account_id: Option<&'a str>,
    #[serde(borrow, rename = "accessKeyId")]
    pub(super) access_key_id: Option<&'a str>,
    #[serde(borrow, rename = "userName")]
    pub(super) user_name: Option<&'a str>,
}

#[derive(Debug, Default, PartialEq, Deserialize)]
pub(super) struct TrailParams<'a> {
    #[serde(borrow, rename = "modelId")]
    pub(super) model_id: Option<&'a str>,
    #[serde(borrow, rename = "serviceName")]
    pub(super) service_name: Option<&'a str>,
    #[serde(borrow, rename = "userName")]
    pub(super) user_name: Option<&'a str>,
    #[serde(borrow, rename = "accessKeyId")]
    pub(super) access_key_id: Option<&'a str>,
    #[serde(borrow, rename = "roleName")]
    pub(super) role_name: Option<&'a str>,
    #[serde(borrow, rename = "policyArn")]
    pub(super) policy_arn: Option<&'a str>,
    #[serde(borrow, rename = "policyName")]
    pub(super) policy_name: Option<&'a str>,
    #[serde(borrow, rename = "groupName")]
    pub(super) group_name: Option<&'a str>,
    #[serde(borrow, rename = "guardrailIdentifier")]
    pub(super) guardrail: Option<&'a str>,
    #[serde(borrow)]
    pub(super) name: Option<&'a str>,
    #[serde(borrow, rename = "bucketName")]
    pub(super) bucket_name: Option<&'a str>,
    #[serde(borrow, rename = "keyId")]
    pub(super) key_id: Option<&'a str>,
    #[serde(borrow, rename = "secretId")]
    pub(super) secret_id: Option<&'a str>,
    #[serde(borrow, rename = "instanceId")]
    pub(super) instance_id: Option<&'a str>,
    #[serde(borrow, rename = "snapshotId")]
    pub(super) snapshot_id: Option<&'a str>,
    #[serde(borrow, rename = "imageId")]
    pub(super) image_id: Option<&'a str>,
    #[serde(borrow, rename = "dBSnapshotIdentifier")]
    pub(super) db_snapshot: Option<&'a str>,
    #[serde(borrow, rename = "dBClusterSnapshotIdentifier")]
    pub(super) db_cluster_snapshot: Option<&'a str>,
    #[serde(rename = "withDecryption")]
    pub(super) with_decryption: Option<bool>,
    /// An EBS snapshot's permission to create volumes from it, changed (its grantees added are
    /// read).
    #[serde(borrow, rename = "createVolumePermission")]
    pub(super) create_volume_permission: Option<PermissionChange<'a>>,
    /// An AMI's permission to launch it, changed (its grantees added are read).
    #[serde(borrow, rename = "launchPermission")]
    pub(super) launch_permission: Option<PermissionChange<'a>>,
    /// The accounts an RDS snapshot's `restore` attribute is given to, or taken from.
    #[serde(borrow, rename = "valuesToAdd")]
    pub(super) values_to_add: Option<Vec<Option<&'a str>>>,
    #[serde(borrow, rename = "valuesToRemove")]
    pub(super) values_to_remove: Option<Vec<Option<&'a str>>>,
    /// The SSM parameters `GetParameters` read.
    #[serde(borrow)]
    pub(super) names: Option<Vec<Option<&'a str>>>,
    /// The secrets `BatchGetSecretValue` read, when it names them (not by a filter).
    #[serde(borrow, rename = "secretIdList")]
    pub(super) secret_id_list: Option<Vec<Option<&'a str>>>,
}

/// An EC2 permission change: the grantees added (Amazon EC2 API Reference,
/// `CreateVolumePermissionModifications`, `LaunchPermissionModifications`; those removed are
/// not read: taking a share back gives no access).
#[derive(Debug, Default, PartialEq, Deserialize)]
pub(super) struct PermissionChange<'a> {
    #[serde(borrow)]
    pub(super) add: Option<Grantees<'a>>,
}

/// The grantees of a permission change, as CloudTrail writes them (`{"items": [...]}`).
#[derive(Debug, Default, PartialEq, Deserialize)]
pub(super) struct Grantees<'a> {
    #[serde(borrow, default)]
    pub(super) items: Vec<Grantee<'a>>,
}

/// One grantee: an account, `all` (public), or an organization or organizational unit.
#[derive(Debug, Default, PartialEq, Deserialize)]
pub(super) struct Grantee<'a> {
    #[serde(borrow, rename = "userId")]
    pub(super) user_id: Option<&'a str>,
    #[serde(borrow)]
    pub(super) group: Option<&'a str>,
    #[serde(borrow, rename = "organizationArn")]
    pub(super) organization: Option<&'a str>,
    #[serde(borrow, rename = "organizationalUnitArn")]
    pub(super) organizational_unit: Option<&'a str>,
}

impl<'a> Grantee<'a> {
    /// Whom the grantee names: an account id, `all`, an organization's or unit's ARN.
    pub(super) fn who(&self) -> Option<&'a str> {
        self.user_id
            .or(self.group)
            .or(self.organization)
            .or(self.organizational_unit)
    }
}

/// The parts of `responseElements` that name what a call created.
#[derive(Debug, Default, PartialEq, Deserialize)]
pub(super) struct TrailResponse<'a> {
    #[serde(borrow, rename = "accessKey")]
    pub(super) access_key: Option<TrailNamed<'a>>,
    #[serde(borrow)]
    pub(super) user: Option<TrailNamed<'a>>,
    #[serde(borrow)]
    pub(super) role: Option<TrailNamed<'a>>,
    #[serde(borrow)]
    pub(super) policy: Option<TrailNamed<'a>>,
    #[serde(borrow, rename = "loginProfile")]
    pub(super) login_profile: Option<TrailNamed<'a>>,
    #[serde(borrow, rename = "guardrailId")]
    pub(super) guardrail_id: Option<&'a str>,
    /// The temporary credentials `AssumeRole`, `GetSessionToken` and `GetFederationToken`
    /// return (only their key id is read).
    #[serde(borrow)]
    pub(super) credentials: Option<TrailNamed<'a>>,
}

#[derive(Debug, Default, PartialEq, Deserialize)]
pub(super) struct TrailNamed<'a> {
    #[serde(borrow, rename = "accessKeyId")]
    pub(super) access_key_id: Option<&'a str>,
    #[serde(borrow, rename = "userName")]
    pub(super) user_name: Option<&'a str>,
    #[serde(borrow, rename = "roleName")]
    pub(super) role_name: Option<&'a str>,
    #[serde(borrow)]
    pub(super) arn: Option<&'a str>,
}

#[derive(Debug, Default, PartialEq, Deserialize)]
pub(super) struct TrailAdditional<'a> {
    #[serde(borrow, rename = "inferenceRegion")]
    pub(super) inference_region: Option<&'a str>,
    #[serde(rename = "callWithBearerToken")]
    pub(super) bearer: Option<bool>,
    /// A console sign-in's `MFAUsed` (`"Yes"`, `"No"`).
    #[serde(borrow, rename = "MFAUsed")]
    pub(super) mfa_used: Option<&'a str>,
}

impl<'a> Trail<'a> {
    /// The record read in one pass over its text ([`Record`]); `None` where that reader gives
    /// up (an escaped string, an unexpected type, a field given twice), for serde to read.
    pub(super) fn read(raw: &'a str) -> Option<Trail<'a>> {
        let mut r = Record::new(raw);
        let mut t = Trail::default();
        let mut text = [None; 10];
        r.fields(TOP, |r, i| {
            match i {
                10 => t.identity = nested(r, TrailIdentity::read)?,
                11 => t.params = nested(r, TrailParams::read)?,
                12 => t.response = nested(r, TrailResponse::read)?,
                13 => t.additional = nested(r, TrailAdditional::read)?,
                14 => {
                    t.from_console = match r.scalar()? {
                        Scalar::Str(s) => Some(Value::String(s.to_string())),
                        Scalar::Bool(b) => Some(Value::Bool(b)),
                        Scalar::Null => None,
                        Scalar::Other => Some(Value::Null),
                    }
                }
                _ => text[i] = r.opt_str()?,
            }
            Some(())
        })?;
        let [event_time, event_source, event_name, aws_region, source_ip, user_agent, error_code, error_message, event_id, recipient] =
            text;
        r.at_end().then_some(Trail {
            event_time,
            event_source,
            event_name,
            aws_region,
            source_ip,
            user_agent,
            error_code,
            error_message,
            event_id,
            recipient,
            ..t
        })
    }
}

/// An optional object field: `null` is none, an object is read by `read`, anything else gives
/// up.
fn nested<'a, T>(
    r: &mut Record<'a>,
    read: impl FnOnce(&mut Record<'a>) -> Option<T>,
) -> Option<Option<T>> {
    if r.null()? {
        return Some(None);
    }
    read(r).map(Some)
}

/// An object whose fields of interest are all strings: the value of each of `names` (the
/// others passed over).
fn strings<'a, const N: usize>(
    r: &mut Record<'a>,
    names: [&str; N],
) -> Option<[Option<&'a str>; N]> {
    let mut got = [None; N];
    r.fields(names, |r, i| {
        got[i] = r.opt_str()?;
        Some(())
    })?;
    Some(got)
}

impl<'a> TrailIdentity<'a> {
    fn read(r: &mut Record<'a>) -> Option<Self> {
        let [arn, account_id, access_key_id, user_name] = strings(r, IDENTITY)?;
        Some(TrailIdentity {
            arn,
            account_id,
            access_key_id,
            user_name,
        })
    }
}

impl<'a> TrailParams<'a> {
    fn read(r: &mut Record<'a>) -> Option<Self> {
        let mut got = [None; PARAMS_STRINGS];
        let (mut with_decryption, mut names) = (None, false);
        r.fields(PARAMS, |r, i| {
            match got.get_mut(i) {
                Some(slot) => *slot = r.opt_str()?,
                None if i == PARAMS_STRINGS => with_decryption = r.opt_bool()?,
                None if i == PARAMS_NAMES => {
                    if !r.null()? {
                        r.skip()?;
                        names = true;
                    }
                }
                // A list of accounts shared with, or of secrets read: left to serde.
                None => return r.null()?.then_some(()),
            }
            Some(())
        })?;
        // Parameters read in clear are named: serde reads the list.
        if names && with_decryption == Some(true) {
            return None;
        }
        let [model_id, service_name, user_name, access_key_id, role_name, policy_arn, policy_name, group_name, guardrail, name, bucket_name, key_id, secret_id, instance_id, snapshot_id, image_id, db_snapshot, db_cluster_snapshot] =
            got;
        Some(TrailParams {
            model_id,
            service_name,
            user_name,
            access_key_id,
            role_name,
            policy_arn,
            policy_name,
            group_name,
            guardrail,
            name,
            bucket_name,
            key_id,
            secret_id,
            instance_id,
            snapshot_id,
            image_id,
            db_snapshot,
            db_cluster_snapshot,
            with_decryption,
            ..TrailParams::default()
        })
    }
}

impl<'a> TrailResponse<'a> {
    fn read(r: &mut Record<'a>) -> Option<Self> {
        let (mut named, mut guardrail_id) = ([None, None, None, None, None, None], None);
        r.fields(RESPONSE, |r, i| {
            match named.get_mut(i) {
                Some(slot) => *slot = nested(r, TrailNamed::read)?,
                None => guardrail_id = r.opt_str()?,
            }
            Some(())
        })?;
        let [access_key, user, role, policy, login_profile, credentials] = named;
        Some(TrailResponse {
            access_key,
            user,
            role,
            policy,
            login_profile,
            guardrail_id,
            credentials,
        })
    }
}

impl<'a> TrailNamed<'a> {
    fn read(r: &mut Record<'a>) -> Option<Self> {
        let [access_key_id, user_name, role_name, arn] = strings(r, NAMED)?;
        Some(TrailNamed {
            access_key_id,
            user_name,
            role_name,
            arn,
        })
    }
}

impl<'a> TrailAdditional<'a> {
    fn read(r: &mut Record<'a>) -> Option<Self> {
        let mut t = TrailAdditional::default();
        r.fields(ADDITIONAL, |r, i| {
            match i {
                0 => t.inference_region = r.opt_str()?,
                1 => t.bearer = r.opt_bool()?,
                _ => t.mfa_used = r.opt_str()?,
            }
            Some(())
        })?;
        Some(t)
    }
}

/// Where a field read is kept while a record is heard.
#[derive(Clone, Copy)]
enum Slot {
    /// A string, at this index of [`Heard::spans`].
    Str(usize),
    /// `callWithBearerToken`.
    Bool,
    /// `withDecryption`.
    Decrypt,
    /// A field read by serde alone: the record is given up unless it is `null`.
    GiveUp,
    /// `names`: passed over, and the record given up if it was read with decryption.
    Names,
    /// An object read in turn: its number (`*_OBJECT`).
    Object(u8),
    /// `sessionCredentialFromConsole`.
    Console,
}

/// The objects of a record whose fields are read (the others' are passed over).
const TOP_OBJECT: u8 = 0;
const IDENTITY_OBJECT: u8 = 1;
const PARAMS_OBJECT: u8 = 2;
const RESPONSE_OBJECT: u8 = 3;
const ADDITIONAL_OBJECT: u8 = 4;
/// The first of the six objects of `responseElements` in [`RESPONSE`].
const NAMED_OBJECT: u8 = 5;
/// Passed over.
const SKIPPED: u8 = u8::MAX;

/// The first string slot of each object's fields: the top ten, then `userIdentity`'s,
/// `requestParameters`', each object's of `responseElements`, its `guardrailId`, and
/// `additionalEventData`'s `inferenceRegion` and `MFAUsed`.
const IDENTITY_AT: usize = 10;
const PARAMS_AT: usize = IDENTITY_AT + IDENTITY.len();
const NAMED_AT: usize = PARAMS_AT + PARAMS_STRINGS;
const GUARDRAIL_ID_AT: usize = NAMED_AT + 6 * NAMED.len();
const INFERENCE_REGION_AT: usize = GUARDRAIL_ID_AT + 1;
const MFA_USED_AT: usize = INFERENCE_REGION_AT + 1;
const SLOTS: usize = MFA_USED_AT + 1;

/// Deepest object whose fields are read: an object of `responseElements`, three levels down.
const READ_DEPTH: usize = 3;
/// No field of those read.
const NO_FIELD: u8 = u8::MAX;

/// A field name as compared while a record is heard: its length and its first and last eight
/// bytes (fewer, zero-padded, for a shorter name), which tell every name read apart, so a
/// name is compared without a call to `memcmp`.
#[derive(Clone, Copy)]
struct Key {
    len: usize,
    head: u64,
    tail: u64,
}

impl Key {
    const fn of(b: &[u8]) -> Key {
        let (mut head, mut tail, mut i) = (0u64, 0u64, 0);
        let n = if b.len() < 8 { b.len() } else { 8 };
        while i < n {
            head |= (b[i] as u64) << (8 * i);
            tail |= (b[b.len() - n + i] as u64) << (8 * i);
            i += 1;
        }
        Key {
            len: b.len(),
            head,
            tail,
        }
    }

    /// The key of a name in the text.
    #[inline(always)]
    fn read(b: &[u8]) -> Key {
        let n = b.len();
        if n < 8 {
            return Key::of(b);
        }
        let word = |i: usize| u64::from_le_bytes(b[i..i + 8].try_into().unwrap_or_default());
        Key {
            len: n,
            head: word(0),
            tail: word(n - 8),
        }
    }

    /// The place of the key in a table of [`Names`] with multiplier `mul`.
    #[inline(always)]
    const fn place(&self, mul: u64) -> usize {
        ((self.head ^ self.tail.rotate_left(29) ^ self.len as u64).wrapping_mul(mul) >> 58) as usize
    }

    #[inline(always)]
    fn is(&self, other: &Key) -> bool {
        self.len == other.len && self.head == other.head && self.tail == other.tail
    }
}

/// The names of an object's fields read, found by a hash of their key: a table of 64 places,
/// with a multiplier chosen (when compiled) so that no two names share a place.
struct Names {
    names: &'static [&'static str],
    keys: &'static [Key],
    mul: u64,
    /// At each place, one more than the index of the name there (0: none).
    table: [u8; 64],
}

impl Names {
    const fn new(names: &'static [&'static str], keys: &'static [Key]) -> Names {
        let mut mul = 0x9e37_79b9_7f4a_7c15u64;
        loop {
            let mut table = [0u8; 64];
            let (mut i, mut apart) = (0, true);
            while i < keys.len() {
                let at = keys[i].place(mul);
                if table[at] != 0 {
                    apart = false;
                    break;
                }
                table[at] = i as u8 + 1;
                i += 1;
            }
            if apart {
                return Names {
                    names,
                    keys,
                    mul,
                    table,
                };
            }
            mul = mul.wrapping_add(0x2545_f491_4f6c_dd1e);
        }
    }
}

/// The keys of `names`.
const fn keys<const N: usize>(names: [&str; N]) -> [Key; N] {
    let mut k = [Key {
        len: 0,
        head: 0,
        tail: 0,
    }; N];
    let mut i = 0;
    while i < N {
        k[i] = Key::of(names[i].as_bytes());
        i += 1;
    }
    k
}

const TOP_KEYS: [Key; TOP.len()] = keys(TOP);
const IDENTITY_KEYS: [Key; IDENTITY.len()] = keys(IDENTITY);
const PARAMS_KEYS: [Key; PARAMS.len()] = keys(PARAMS);
const RESPONSE_KEYS: [Key; RESPONSE.len()] = keys(RESPONSE);
const NAMED_KEYS: [Key; NAMED.len()] = keys(NAMED);
const ADDITIONAL_KEYS: [Key; ADDITIONAL.len()] = keys(ADDITIONAL);

/// The names read of each object, in the order of the objects' numbers.
static NAMES: [Names; 6] = [
    Names::new(&TOP, &TOP_KEYS),
    Names::new(&IDENTITY, &IDENTITY_KEYS),
    Names::new(&PARAMS, &PARAMS_KEYS),
    Names::new(&RESPONSE, &RESPONSE_KEYS),
    Names::new(&ADDITIONAL, &ADDITIONAL_KEYS),
    Names::new(&NAMED, &NAMED_KEYS),
];

/// The names of an object's fields read.
#[inline(always)]
fn names_of(object: u8) -> &'static Names {
    &NAMES[usize::from(object.min(NAMED_OBJECT))]
}

/// Where field `i` of `object` is kept.
fn slot_of(object: u8, i: u8) -> Slot {
    let i = usize::from(i);
    match object {
        TOP_OBJECT => match i {
            0..10 => Slot::Str(i),
            10 => Slot::Object(IDENTITY_OBJECT),
            11 => Slot::Object(PARAMS_OBJECT),
            12 => Slot::Object(RESPONSE_OBJECT),
            13 => Slot::Object(ADDITIONAL_OBJECT),
            _ => Slot::Console,
        },
        IDENTITY_OBJECT => Slot::Str(IDENTITY_AT + i),
        PARAMS_OBJECT if i < PARAMS_STRINGS => Slot::Str(PARAMS_AT + i),
        PARAMS_OBJECT if i == PARAMS_STRINGS => Slot::Decrypt,
        PARAMS_OBJECT if i == PARAMS_NAMES => Slot::Names,
        PARAMS_OBJECT => Slot::GiveUp,
        RESPONSE_OBJECT => match i {
            0..6 => Slot::Object(NAMED_OBJECT + i as u8),
            _ => Slot::Str(GUARDRAIL_ID_AT),
        },
        ADDITIONAL_OBJECT => match i {
            0 => Slot::Str(INFERENCE_REGION_AT),
            1 => Slot::Bool,
            _ => Slot::Str(MFA_USED_AT),
        },
        named => Slot::Str(NAMED_AT + usize::from(named - NAMED_OBJECT) * NAMED.len() + i),
    }
}

/// The index of `name` among the names of `object`: by its key's place, then by the key, and
/// by the whole name where the key does not hold all of it (a name longer than sixteen bytes).
#[inline]
fn position(object: u8, name: &[u8]) -> Option<u8> {
    let n = names_of(object);
    let k = Key::read(name);
    let i = usize::from(n.table[k.place(n.mul)]).checked_sub(1)?;
    (n.keys[i].is(&k) && (k.len <= 16 || n.names[i].as_bytes() == name)).then_some(i as u8)
}

/// `sessionCredentialFromConsole` as heard.
#[derive(Clone, Copy, Default)]
enum Console {
    #[default]
    Absent,
    Str(u32, u32),
    Bool(bool),
    /// A number, an object or an array.
    Other,
}

/// The fields of each CloudTrail record, heard while the hand walk of a trail file reads its
/// tokens, so that the record's text is not read again: what [`Trail::read`] would give, or
/// nothing where it would give up (and where this gives up though it would not: then it
/// reads the record). Positions are kept, relative to the record's start, and turned into
/// strings when the record is taken ([`Heard::take`]).
pub(super) struct Heard {
    /// The address of the text walked (to know a record taken is the one heard).
    base: usize,
    /// Objects and arrays open: 0 between records.
    depth: usize,
    /// The object open at each depth read (`SKIPPED`: passed over), from the record down.
    object: [u8; READ_DEPTH],
    /// The fields of it given so far, one bit each.
    given: [u64; READ_DEPTH],
    /// The field of it whose value comes next.
    field: [u8; READ_DEPTH],
    /// The record's span in the text walked.
    start: usize,
    end: usize,
    /// False once this gave up on the record.
    ok: bool,
    /// A whole record was heard, not yet taken.
    done: bool,
    spans: [Option<(u32, u32)>; SLOTS],
    /// The objects read that were given (not `null`): bit `n` for object number `n`.
    present: u16,
    bearer: Option<bool>,
    decrypt: Option<bool>,
    /// `requestParameters.names` was given (not `null`).
    names: bool,
    console: Console,
}

impl Default for Heard {
    fn default() -> Self {
        Heard {
            base: 0,
            depth: 0,
            object: [SKIPPED; READ_DEPTH],
            given: [0; READ_DEPTH],
            field: [NO_FIELD; READ_DEPTH],
            start: 0,
            end: 0,
            ok: false,
            done: false,
            spans: [None; SLOTS],
            present: 0,
            bearer: None,
            decrypt: None,
            names: false,
            console: Console::Absent,
        }
    }
}

impl Heard {
    /// The object read at the current depth, and its index in the arrays (`None`: none read
    /// there).
    #[inline]
    fn reading(&self) -> Option<(u8, usize)> {
        let d = self.depth.checked_sub(1)?;
        let object = *self.object.get(d)?;
        (self.ok && object != SKIPPED).then_some((object, d))
    }

    /// The slot of the field whose value comes next, if it is one read.
    #[inline]
    fn slot(&self) -> Option<Slot> {
        let (object, d) = self.reading()?;
        let f = self.field[d];
        (f != NO_FIELD).then(|| slot_of(object, f))
    }

    /// A position relative to the record's start.
    #[inline]
    fn span(&mut self, at: usize, end: usize) -> Option<(u32, u32)> {
        let rel = |x: usize| u32::try_from(x - self.start).ok();
        let span = rel(at).zip(rel(end));
        if span.is_none() {
            self.ok = false;
        }
        span
    }

    /// The record `raw` as heard: `None` when it is not the record last heard whole (a record
    /// the hand walk did not read, or one this gave up on).
    pub(super) fn take<'r>(&mut self, raw: &'r str) -> Option<Trail<'r>> {
        if !std::mem::replace(&mut self.done, false)
            || raw.as_ptr() as usize != self.base.wrapping_add(self.start)
            || raw.len() != self.end - self.start
        {
            return None;
        }
        // Parameters read in clear are named: serde reads the list.
        if self.names && self.decrypt == Some(true) {
            return None;
        }
        let s = |i: usize| -> Option<&'r str> {
            self.spans[i].and_then(|(a, b)| raw.get(a as usize..b as usize))
        };
        let has = |object: u8| self.present & (1 << object) != 0;
        let named = |k: usize| {
            has(NAMED_OBJECT + k as u8).then(|| {
                let at = NAMED_AT + k * NAMED.len();
                TrailNamed {
                    access_key_id: s(at),
                    user_name: s(at + 1),
                    role_name: s(at + 2),
                    arn: s(at + 3),
                }
            })
        };
        Some(Trail {
            event_time: s(0),
            event_source: s(1),
            event_name: s(2),
            aws_region: s(3),
            source_ip: s(4),
            user_agent: s(5),
            error_code: s(6),
            error_message: s(7),
            event_id: s(8),
            recipient: s(9),
            identity: has(IDENTITY_OBJECT).then(|| TrailIdentity {
                arn: s(IDENTITY_AT),
                account_id: s(IDENTITY_AT + 1),
                access_key_id: s(IDENTITY_AT + 2),
                user_name: s(IDENTITY_AT + 3),
            }),
            params: has(PARAMS_OBJECT).then(|| {
                let p = |i| s(PARAMS_AT + i);
                TrailParams {
                    model_id: p(0),
                    service_name: p(1),
                    user_name: p(2),
                    access_key_id: p(3),
                    role_name: p(4),
                    policy_arn: p(5),
                    policy_name: p(6),
                    group_name: p(7),
                    guardrail: p(8),
                    name: p(9),
                    bucket_name: p(10),
                    key_id: p(11),
                    secret_id: p(12),
                    instance_id: p(13),
                    snapshot_id: p(14),
                    image_id: p(15),
                    db_snapshot: p(16),
                    db_cluster_snapshot: p(17),
                    with_decryption: self.decrypt,
                    ..TrailParams::default()
                }
            }),
            response: has(RESPONSE_OBJECT).then(|| TrailResponse {
                access_key: named(0),
                user: named(1),
                role: named(2),
                policy: named(3),
                login_profile: named(4),
                credentials: named(5),
                guardrail_id: s(GUARDRAIL_ID_AT),
            }),
            additional: has(ADDITIONAL_OBJECT).then(|| TrailAdditional {
                inference_region: s(INFERENCE_REGION_AT),
                bearer: self.bearer,
                mfa_used: s(MFA_USED_AT),
            }),
            from_console: match self.console {
                Console::Absent => None,
                Console::Str(a, b) => {
                    Some(Value::String(raw.get(a as usize..b as usize)?.to_string()))
                }
                Console::Bool(b) => Some(Value::Bool(b)),
                Console::Other => Some(Value::Null),
            },
        })
    }
}

impl Ear for Heard {
    fn begin(&mut self, text: &str) {
        self.base = text.as_ptr() as usize;
        self.depth = 0;
        self.done = false;
    }

    #[inline(always)]
    fn record(&mut self) {}

    #[inline]
    fn name(&mut self, b: &[u8], at: usize, end: usize, escaped: bool) {
        let Some((object, d)) = self.reading() else {
            return;
        };
        if escaped {
            self.ok = false;
            return;
        }
        self.field[d] = match position(object, &b[at..end]) {
            Some(i) => {
                if self.given[d] & (1 << i) != 0 {
                    self.ok = false;
                }
                self.given[d] |= 1 << i;
                i
            }
            None => NO_FIELD,
        };
    }

    #[inline]
    fn value(&mut self, at: usize, end: usize, tok: Tok) {
        if self.depth == 0 {
            // An element of the records that is not an object.
            self.done = false;
            return;
        }
        let Some(slot) = self.slot() else {
            return;
        };
        match (slot, tok) {
            (_, Tok::Null) => {}
            (Slot::Str(i), Tok::Str) => self.spans[i] = self.span(at, end),
            (Slot::Bool, Tok::True | Tok::False) => self.bearer = Some(tok == Tok::True),
            (Slot::Decrypt, Tok::True | Tok::False) => self.decrypt = Some(tok == Tok::True),
            (Slot::Names, _) => self.names = true,
            (Slot::Console, Tok::Str) => {
                if let Some((a, b)) = self.span(at, end) {
                    self.console = Console::Str(a, b);
                }
            }
            (Slot::Console, Tok::True | Tok::False) => {
                self.console = Console::Bool(tok == Tok::True)
            }
            (Slot::Console, Tok::Number) => self.console = Console::Other,
            _ => self.ok = false,
        }
    }

    #[inline]
    fn open(&mut self, at: usize, object: bool) {
        if self.depth == 0 {
            // A record starts.
            *self = Heard {
                base: self.base,
                depth: 1,
                start: at,
                ok: object,
                object: [TOP_OBJECT, SKIPPED, SKIPPED],
                ..Heard::default()
            };
            return;
        }
        let child = match self.slot() {
            None => SKIPPED,
            Some(Slot::Object(inner)) if object => {
                self.present |= 1 << inner;
                inner
            }
            Some(Slot::Console) => {
                self.console = Console::Other;
                SKIPPED
            }
            Some(Slot::Names) => {
                self.names = true;
                SKIPPED
            }
            Some(_) => {
                self.ok = false;
                SKIPPED
            }
        };
        if let Some(d) = (self.depth < READ_DEPTH).then_some(self.depth) {
            self.object[d] = child;
            self.given[d] = 0;
            self.field[d] = NO_FIELD;
        }
        self.depth += 1;
    }

    #[inline]
    fn close(&mut self, end: usize) {
        if self.depth == 1 && self.ok {
            self.done = true;
            self.end = end;
        }
        self.depth = self.depth.saturating_sub(1);
    }
}

/// [`Heard`] shared between the walk, which it hears, and the reader, which takes each
/// record from it.
pub(super) struct Shared<'x>(pub &'x std::cell::RefCell<Heard>);

impl Ear for Shared<'_> {
    #[inline]
    fn begin(&mut self, text: &str) {
        self.0.borrow_mut().begin(text);
    }
    #[inline(always)]
    fn record(&mut self) {}
    #[inline]
    fn name(&mut self, b: &[u8], at: usize, end: usize, escaped: bool) {
        self.0.borrow_mut().name(b, at, end, escaped);
    }
    #[inline]
    fn value(&mut self, at: usize, end: usize, tok: Tok) {
        self.0.borrow_mut().value(at, end, tok);
    }
    #[inline]
    fn open(&mut self, at: usize, object: bool) {
        self.0.borrow_mut().open(at, object);
    }
    #[inline]
    fn close(&mut self, end: usize) {
        self.0.borrow_mut().close(end);
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::evidence::json::walk_raw_heard;
    use crate::evidence::out::Out;
    use crate::evidence::Problems;
    use serde_json::json;
    use std::cell::RefCell;

    /// Every record of the real and synthetic CloudTrail samples, as JSON trees.
    pub(in crate::evidence::formats) fn samples() -> Vec<Value> {
        let texts = [
            include_str!("../../../tests/fixtures/real/cloudtrail-bedrock/panther-delete-invocation-logging.json"),
            include_str!("../../../tests/fixtures/real/cloudtrail-bedrock/sysdig-llmjacking-invokemodel-validationexception.json"),
            include_str!("../../../tests/fixtures/real/cloudtrail-bedrock/panther-guardrail-update-delete.jsonl"),
            include_str!("../../../tests/fixtures/real/cloudtrail-iam/panther-login-profile-created-or-modified.jsonl"),
            include_str!("../../../tests/fixtures/real/cloudtrail-kms/awsdocs-schedule-key-deletion.json"),
            include_str!("../../../tests/fixtures/real/cloudtrail-ssm/panther-decrypt-ssm-params.jsonl"),
            include_str!("../../../tests/fixtures/evidence/cloudtrail/trail.json"),
            include_str!("../../../tests/fixtures/evidence/cloudtrail/s3_opened.json"),
            include_str!("../../../tests/fixtures/evidence/cloudtrail/destroyed.json"),
            include_str!("../../../tests/fixtures/evidence/cloudtrail/escaped_and_odd_types.json"),
        ];
        let mut records = Vec::new();
        for text in texts {
            for d in serde_json::Deserializer::from_str(text).into_iter::<Value>() {
                let d = d.unwrap();
                match d.get("Records").and_then(Value::as_array) {
                    Some(rs) => records.extend(rs.iter().cloned()),
                    None => records.push(d),
                }
            }
        }
        // The first records of real detonations, written as arrays of records (a secret and
        // an instance's password read, a console sign-in without MFA).
        for text in [
            include_str!("../../../tests/fixtures/real/stratus-cloudtrail/aws.credential-access.secretsmanager-retrieve-secrets.json"),
            include_str!("../../../tests/fixtures/real/stratus-cloudtrail/aws.credential-access.ec2-get-password-data.json"),
            include_str!("../../../tests/fixtures/real/stratus-cloudtrail/aws.initial-access.console-login-without-mfa.json"),
        ] {
            let all: Vec<Value> = serde_json::from_str(text).unwrap();
            records.extend(all.into_iter().take(2));
        }
        // The records whose requests give a list the hand readers leave to serde whole are
        // tested apart ([`left_to_serde`]): here, the records they read.
        records.retain(|r| {
            r.get("requestParameters")
                .and_then(Value::as_object)
                .is_none_or(|p| {
                    PARAMS[PARAMS_STRINGS + 1..]
                        .iter()
                        .all(|k| !p.contains_key(*k))
                })
        });
        records
    }

    /// The calls of real detonations whose requests give lists (read by serde alone): a
    /// snapshot or an image shared with another account, SSM parameters read, as JSON trees.
    pub(in crate::evidence::formats) fn left_to_serde() -> Vec<Value> {
        let mut records = Vec::new();
        for text in [
            include_str!("../../../tests/fixtures/real/stratus-cloudtrail/aws.exfiltration.ec2-share-ebs-snapshot.json"),
            include_str!("../../../tests/fixtures/real/stratus-cloudtrail/aws.exfiltration.ec2-share-ami.json"),
            include_str!("../../../tests/fixtures/real/stratus-cloudtrail/aws.exfiltration.rds-share-snapshot.json"),
            include_str!("../../../tests/fixtures/real/stratus-cloudtrail/aws.credential-access.ssm-retrieve-securestring-parameters.json"),
        ] {
            let all: Vec<Value> = serde_json::from_str(text).unwrap();
            records.extend(
                all.into_iter()
                    .filter(|r| {
                        r["eventName"]
                            .as_str()
                            .is_some_and(|n| n.starts_with("Modify") || n == "GetParameters")
                    })
                    .take(4),
            );
        }
        records
    }

    /// Each record of `doc` (a trail file), with what [`Heard`] heard of it.
    fn heard(doc: &str) -> Vec<(String, Option<String>)> {
        let heard = RefCell::new(Heard::default());
        let mut sink = |_e: crate::evidence::UsageEvent| {};
        let mut out = Out::new("t.json", Problems::new("t.json"), &mut sink);
        let mut got = Vec::new();
        walk_raw_heard(
            doc,
            &["Records"],
            &mut out,
            &mut Shared(&heard),
            &mut |_, raw, _| {
                let t = heard.borrow_mut().take(raw).map(|t| format!("{t:?}"));
                got.push((raw.to_string(), t));
            },
        );
        got
    }

    /// Each sample record as text, compact and pretty-printed, and with each of its fields, and
    /// each field of its objects, given odd values (null, a number, a boolean, an escaped
    /// string, an object, an array, an object of odd values, an escape where a name is read).
    pub(in crate::evidence::formats) fn variants() -> Vec<String> {
        let odd = [
            json!(null),
            json!(5),
            json!(true),
            json!("a\"b\\c"),
            json!("plain"),
            json!({}),
            json!([]),
            json!([{"userName": "x"}]),
            json!({"accessKeyId": "AKIAEXAMPLE", "userName": null, "arn": 1}),
            json!({"accessKeyId": {"deep": "x"}}),
        ];
        let mut texts = Vec::new();
        let records = samples();
        assert!(records.len() >= 10, "{} records", records.len());
        for r in records.iter().filter(|r| r.is_object()) {
            texts.push(r.to_string());
            texts.push(serde_json::to_string_pretty(r).unwrap());
            let obj = r.as_object().unwrap();
            for (k, v) in obj {
                for o in &odd {
                    let mut m = obj.clone();
                    m.insert(k.clone(), o.clone());
                    texts.push(Value::Object(m).to_string());
                }
                if let Some(inner) = v.as_object() {
                    for (ik, iv) in inner {
                        for o in odd.iter().chain([iv, &json!({"userName": "\\u0041"})]) {
                            let mut m = obj.clone();
                            let mut i = inner.clone();
                            i.insert(ik.clone(), o.clone());
                            m.insert(k.clone(), Value::Object(i));
                            texts.push(Value::Object(m).to_string());
                        }
                    }
                }
            }
        }
        texts
    }

    /// What is heard of a record is what the one-pass reader reads of it, and it gives up
    /// where that reader does: on the sample records and their variants, with fields given
    /// twice and names escaped; in a trail file and in an array.
    #[test]
    fn what_is_heard_of_a_record_is_what_the_one_pass_reader_reads() {
        let mut texts = variants();
        // Records a hand reader gives up on whole, as they are and with a list read as null.
        for r in left_to_serde() {
            texts.push(r.to_string());
            // Parameters read without decryption: the list passed over, the record read.
            if let Some(Value::Bool(true)) = r["requestParameters"].get("withDecryption") {
                let mut plain = r.clone();
                plain["requestParameters"]["withDecryption"] = Value::Bool(false);
                assert!(Trail::read(&plain.to_string()).is_some());
                texts.push(plain.to_string());
            }
            let mut nulled = r.clone();
            for list in [
                "createVolumePermission",
                "launchPermission",
                "valuesToAdd",
                "names",
            ] {
                if let Some(l) = nulled["requestParameters"].get_mut(list) {
                    *l = Value::Null;
                }
            }
            texts.push(nulled.to_string());
        }
        for r in samples() {
            let text = r.to_string();
            for k in [
                "eventName",
                "userIdentity",
                "unknownField",
                "sessionCredentialFromConsole",
            ] {
                texts.push(text.replacen('{', &format!("{{\"{k}\":\"X\","), 1));
            }
            texts.push(text.replacen("\"eventName\"", "\"event\\u004eame\"", 1));
            texts.push(text.replacen("\"arn\"", "\"\\u0061rn\"", 1));
        }
        let (mut read, mut gave_up) = (0, 0);
        for text in &texts {
            let want = Trail::read(text).map(|t| format!("{t:?}"));
            for doc in [
                format!("{{\"Records\":[{text}]}}"),
                format!("[1, {text},\n {text}, \"s\"]"),
            ] {
                let got: Vec<_> = heard(&doc)
                    .into_iter()
                    .filter(|(raw, _)| raw == text)
                    .map(|(_, t)| t)
                    .collect();
                assert!(!got.is_empty(), "{doc}");
                for t in got {
                    assert_eq!(t, want, "{doc}");
                }
            }
            if want.is_some() {
                read += 1;
            } else {
                gave_up += 1;
            }
        }
        assert!(
            read > texts.len() / 2 && gave_up > 10,
            "{read} read, {gave_up} not"
        );
    }

    /// The fields read by their place in [`PARAMS`] are where the readers look for them.
    #[test]
    fn the_request_fields_read_by_place_are_in_place() {
        assert_eq!(PARAMS[PARAMS_STRINGS], "withDecryption");
        assert_eq!(PARAMS[PARAMS_NAMES], "names");
        assert_eq!(PARAMS[PARAMS_STRINGS - 1], "dBClusterSnapshotIdentifier");
    }

    /// Every name read is found at its own place by its key, and a name differing from it
    /// only in its middle bytes or its length is not.
    #[test]
    fn each_name_read_is_found_by_its_key() {
        for object in [
            TOP_OBJECT,
            IDENTITY_OBJECT,
            PARAMS_OBJECT,
            RESPONSE_OBJECT,
            ADDITIONAL_OBJECT,
            NAMED_OBJECT,
        ] {
            for (i, n) in names_of(object).names.iter().enumerate() {
                assert_eq!(position(object, n.as_bytes()), Some(i as u8), "{n}");
                let mut other = n.as_bytes().to_vec();
                let mid = other.len() / 2;
                other[mid] ^= 0x20;
                assert_eq!(position(object, &other), None, "{n}");
                assert_eq!(position(object, &n.as_bytes()[1..]), None, "{n}");
                other = [n.as_bytes(), b"x"].concat();
                assert_eq!(position(object, &other), None, "{n}");
            }
        }
    }

    /// A record the hand walk did not read (in a document it leaves to serde from there on)
    /// is not heard: the reader reads it again. The records it read before are heard.
    #[test]
    fn a_record_the_hand_walk_did_not_read_is_not_heard() {
        let text = samples()[0].to_string();
        let deep = text.replacen(
            '{',
            &format!("{{\"deep\":{}{},", "[".repeat(70), "]".repeat(70)),
            1,
        );
        for doc in [format!("[{text}][{text}]"), format!("[{text}, {deep}]")] {
            let got = heard(&doc);
            assert_eq!(got.len(), 2, "{doc}");
            assert!(got[0].1.is_some() && got[1].1.is_none(), "{doc}");
        }
    }
}
