/**
 * Stands in for semver in the Lambda bundles (an esbuild alias in lambda-bundle.config.ts).
 *
 * Its one importer there is aws-xray-sdk-core's patcher for the AWS SDK v2
 * (patchers/aws_p.js), which calls semver.gte only inside captureAWS(), to check the v2
 * module's version. The functions use the SDK v3 and capture clients with
 * captureAWSv3Client; nothing calls captureAWS. semver weighed 30 KiB in every bundle.
 */
export function gte(): never {
  throw new Error('semver is left out of the Lambda bundles: X-Ray capture of the AWS SDK v2 (captureAWS) is not supported; use captureAWSv3Client');
}
