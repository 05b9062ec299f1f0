/**
 * The layers of src/, lowest first, and the rules `npm run lint` holds the imports to: no cycle,
 * no import from a lower layer into a higher one, and the sandbox (the VPC simulator, the fake
 * Slack and the playground) reached only through the runtime's one seam, src/runtime/sandbox.ts.
 * docs/architecture.md explains each layer.
 */
const LAYERS = [
  ['units', 'text', 'i18n', 'observability', 'server'],
  ['resources', 'cloud', 'redis'],
  ['config'],
  ['policy'],
  ['workflow'],
  ['slack', 'tools'],
  ['sandbox'],
  ['runtime', 'main.ts'],
];

const folder = (names) => `^src/(${names.map((n) => n.replace('.', '\\.')).join('|')})(/|$)`;

const layerRules = LAYERS.slice(0, -1).map((layer, i) => ({
  name: `layer-${layer.join('+')}`,
  comment: `${layer.join(', ')} may not import from a higher layer (${LAYERS.slice(i + 1)
    .flat()
    .join(', ')})`,
  severity: 'error',
  from: { path: folder(layer) },
  to: { path: folder(LAYERS.slice(i + 1).flat()) },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'A cycle of imports: a type or a function belongs to the lowest layer that needs it.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...layerRules,
    {
      name: 'sandbox-through-one-seam',
      comment: 'The sandbox is reached only through src/runtime/sandbox.ts.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(sandbox/|runtime/sandbox\\.ts$)' },
      to: { path: '^src/sandbox/' },
    },
    {
      name: 'sandbox-holds-its-own-facts',
      comment:
        'The simulator and the fake Slack imitate the platforms from their documentation: they import nothing of the bot but the units of measure and the generic HTTP plumbing (src/server/).',
      severity: 'error',
      from: { path: '^src/sandbox/(simulator|fake-slack)/' },
      to: { path: '^src/', pathNot: '^src/(sandbox/|units/|server/)' },
    },
    {
      name: 'playground-on-the-bot-s-edges',
      comment:
        'The playground stands in for Slack in front of the bot: it uses the bot’s configuration, logger, HTTP server and Redis probe, never its workings.',
      severity: 'error',
      from: { path: '^src/sandbox/playground/' },
      to: { path: '^src/', pathNot: '^src/(sandbox/|units/|observability/|server/|redis/|config/)' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^src/sandbox/playground/client/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: require('node:path').join(__dirname, 'tsconfig.json') },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
  },
};
