// Changelog reviewer for Renovate PRs in the Orbitly monorepo. A GitHub App webhook (Express on
// the internal tools box, POST /github/webhooks) handles pull_request `opened` and `synchronize`
// from renovate[bot]: a GPT-4o agent reads the upstream releases between the two versions, searches
// our code for the APIs that changed and comments on the PR with the breaking changes that hit us.
import express from 'express';
import { Webhooks, createNodeMiddleware } from '@octokit/webhooks';
import { Octokit } from '@octokit/rest';
import OpenAI from 'openai';
import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';

const webhooks = new Webhooks({ secret: process.env.GITHUB_WEBHOOK_SECRET! });
const octokit = new Octokit({ auth: process.env.GITHUB_TOKEN });
const openai = new OpenAI();
const [OWNER, REPO] = ['orbitly', 'platform'];

const tools: ChatCompletionTool[] = [
  { type: 'function', function: { name: 'list_releases', description: 'Release notes of a GitHub repository, newest first.', parameters: { type: 'object', properties: { repo: { type: 'string', description: 'owner/name' } }, required: ['repo'] } } },
  { type: 'function', function: { name: 'search_our_code', description: 'Search the Orbitly monorepo for a symbol.', parameters: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] } } },
];

async function callTool(name: string, args: { repo?: string; query?: string }): Promise<string> {
  if (name === 'list_releases') {
    const [owner, repo] = (args.repo ?? '').split('/');
    const { data } = await octokit.rest.repos.listReleases({ owner, repo, per_page: 30 });
    return data.map((r) => `## ${r.tag_name}\n${(r.body ?? '').slice(0, 1500)}`).join('\n\n');
  }
  const { data } = await octokit.rest.search.code({ q: `${args.query} repo:${OWNER}/${REPO}`, per_page: 10 });
  return data.items.map((i) => i.path).join('\n') || 'no matches';
}

async function reviewUpgrade(pkg: string, from: string, to: string, sourceRepo: string): Promise<string> {
  const messages: ChatCompletionMessageParam[] = [
    { role: 'system', content: 'You review dependency upgrades. Read the releases between the two versions, check whether our code uses anything that broke, and answer in GitHub markdown: a verdict line, then the breaking changes that affect us with file paths.' },
    { role: 'user', content: `Package ${pkg} (${sourceRepo}) from ${from} to ${to}.` },
  ];
  for (let step = 0; step < 6; step++) {
    const completion = await openai.chat.completions.create({ model: 'gpt-4o', temperature: 0, messages, tools });
    const reply = completion.choices[0].message;
    if (!reply.tool_calls?.length) return reply.content ?? '';
    messages.push(reply);
    for (const call of reply.tool_calls) {
      messages.push({ role: 'tool', tool_call_id: call.id, content: await callTool(call.function.name, JSON.parse(call.function.arguments)) });
    }
  }
  return '_Gave up after six steps; please read the changelog by hand._';
}

webhooks.on(['pull_request.opened', 'pull_request.synchronize'], async ({ payload }) => {
  const pr = payload.pull_request;
  if (pr.user.login !== 'renovate[bot]') return;
  // Renovate body table: | [zod](https://github.com/colinhacks/zod) | `3.22.4` -> `3.23.8` |
  const row = /\|\s*\[([^\]]+)\]\(https:\/\/github\.com\/([^)\s]+?)\)\s*\|.*?`([^`]+)`\s*->\s*`([^`]+)`/.exec(pr.body ?? '');
  if (!row) return;
  const [, pkg, sourceRepo, from, to] = row;
  const review = await reviewUpgrade(pkg, from, to, sourceRepo);
  await octokit.rest.issues.createComment({
    owner: OWNER,
    repo: REPO,
    issue_number: pr.number,
    body: `### Upgrade review: \`${pkg}\` ${from} → ${to}\n\n${review}`,
  });
});

const app = express();
app.use(createNodeMiddleware(webhooks, { path: '/github/webhooks' }));
app.listen(Number(process.env.PORT ?? 3000), () => console.log('renovate reviewer listening'));
