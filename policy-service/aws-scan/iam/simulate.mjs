// Evaluates an identity policy against requests with the IAM policy simulator @cloud-copilot/iam-simulate (tests only).
// Reads {"policy": {...}, "principal": "arn:...", "requests": [{"action", "resource", "accountId", "context",
// "resourcePolicy"}]} on
// stdin; writes one JSON array: per request, the simulator's overall result ("Allowed", "ImplicitlyDenied", ...) or
// {"error": ...} when it refused the request as invalid.
import { runSimulation } from '@cloud-copilot/iam-simulate'

let input = ''
for await (const chunk of process.stdin) input += chunk
const { policy, principal, requests } = JSON.parse(input)
const results = []
for (const r of requests) {
  const response = await runSimulation(
    {
      identityPolicies: [{ name: 'suggested', policy }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: r.resourcePolicy,
      request: {
        action: r.action,
        principal,
        resource: { accountId: r.accountId, resource: r.resource },
        contextVariables: r.context ?? {}
      }
    },
    {}
  )
  results.push(response.errors ? { error: response.errors } : response.overallResult)
}
process.stdout.write(JSON.stringify(results) + '\n')
