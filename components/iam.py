"""IAM policy documents, as pure functions of known values so they are testable without Pulumi."""

from __future__ import annotations

import json

import pulumi

from streamplane.checkpoint.kinds import job_prefix

STS_AUDIENCE = "sts.amazonaws.com"
IAM_WILDCARDS = ("*", "?")
# KMS calls S3 makes on a caller's behalf for SSE-KMS objects carry kms:ViaService s3.<region>.amazonaws.com.
S3_VIA_SERVICE = "s3.*.amazonaws.com"


def tls_only_bucket_policy(bucket_arn: str) -> dict:
    """A bucket policy denying every request that does not use TLS."""
    return {
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "DenyInsecureTransport",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": [bucket_arn, f"{bucket_arn}/*"],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        }],
    }


def prefix_access_policy(bucket_arn: str, kms_key_arn: str, prefix: str) -> dict:
    """Least privilege for one prefix of a store: list, read, write and delete under it, nothing else.

    ListBucket is limited by the s3:prefix condition, so a job cannot even see its neighbours' keys;
    KMS use is limited to the store's key and to calls made through S3. A prefix with an IAM wildcard
    (`*`, `?`) would widen the grant to other prefixes (`*/` covers every job's state), so it is refused.
    """
    if any(char in prefix for char in IAM_WILDCARDS) or not prefix.endswith("/"):
        raise ValueError(f"refusing a least-privilege policy for prefix {prefix!r}: it must end with '/' and "
                         "contain no IAM wildcard (* or ?)")
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "ListOwnPrefix",
                "Effect": "Allow",
                "Action": ["s3:ListBucket"],
                "Resource": [bucket_arn],
                "Condition": {"StringLike": {"s3:prefix": [prefix, f"{prefix}*"]}},
            },
            {
                "Sid": "ReadWriteOwnPrefix",
                "Effect": "Allow",
                "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"],
                "Resource": [f"{bucket_arn}/{prefix}*"],
            },
            {
                "Sid": "UseStoreKeyThroughS3",
                "Effect": "Allow",
                "Action": ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
                "Resource": [kms_key_arn],
                "Condition": {"StringLike": {"kms:ViaService": S3_VIA_SERVICE}},
            },
        ],
    }


def job_prefix_policy(bucket_arn: str, kms_key_arn: str, job: str) -> dict:
    """Least privilege for one Flink job on a checkpoint store: only jobs/<job>/, plus reading the key
    jobs/<job> itself.

    Hadoop S3A resolves a path by a HEAD of the bare key before listing `<key>/`; without s3:GetObject
    on it S3 answers 403 instead of 404 and the checkpoint directory probe fails (apache/hadoop
    hadoop-aws S3AFileSystem getFileStatus: StatusProbeEnum HEAD of the key, then LIST of `<key>/`).
    """
    prefix = job_prefix(job)
    policy = prefix_access_policy(bucket_arn, kms_key_arn, prefix)
    policy["Statement"].append({"Sid": "ProbeOwnPrefixKey", "Effect": "Allow", "Action": ["s3:GetObject"],
                                "Resource": [f"{bucket_arn}/{prefix.rstrip('/')}"]})
    return policy


def irsa_trust_policy(provider_arn: str, issuer: str, namespace: str, service_account: str) -> dict:
    """IRSA trust: only this one Kubernetes service account, through the cluster's OIDC provider, may
    assume the role. `issuer` may be given with or without its https:// scheme (IAM wants the host/path)."""
    host = issuer.removeprefix("https://").rstrip("/")
    return {
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "AssumeFromServiceAccount",
            "Effect": "Allow",
            "Principal": {"Federated": provider_arn},
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {"StringEquals": {
                f"{host}:sub": f"system:serviceaccount:{namespace}:{service_account}",
                f"{host}:aud": STS_AUDIENCE,
            }},
        }],
    }


def policy_json(document_fn, *inputs: pulumi.Input[str]) -> pulumi.Output[str]:
    """Render a policy function of (possibly unknown) ARNs to JSON once they resolve."""
    return pulumi.Output.all(*inputs).apply(lambda values: json.dumps(document_fn(*values), sort_keys=True))
