// Dice and spell bot for the Saltmarsh Tuesday D&D group's Discord (discord.js v14, one container).
// /roll 3d6+2 rolls dice, /spell <name> <field> answers from the 5e SRD spell list bundled with the
// bot, and a per-user cooldown (kept in memory, it is fine if a restart resets it) stops spam.
import { Client, Events, GatewayIntentBits, SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import srdSpells from './srd-spells.json' with { type: 'json' };

const COOLDOWN_MS = 3_000;
const lastUse = new Map<string, number>();
const client = new Client({ intents: [GatewayIntentBits.Guilds] });

export const commands = [
  new SlashCommandBuilder().setName('roll').setDescription('Roll dice, e.g. 2d6+1')
    .addStringOption((o) => o.setName('dice').setDescription('NdM(+K)').setRequired(true)),
  new SlashCommandBuilder().setName('spell').setDescription('Look up an SRD spell')
    .addStringOption((o) => o.setName('name').setDescription('Spell name').setRequired(true))
    .addStringOption((o) => o.setName('field').setDescription('e.g. range, components').setRequired(true)),
].map((c) => c.toJSON());

export function roll(spec: string, random: () => number = Math.random): { rolls: number[]; total: number } | null {
  const m = /^(\d{1,2})d(\d{1,3})([+-]\d{1,3})?$/i.exec(spec.replace(/\s+/g, ''));
  if (!m) return null;
  const [count, sides, modifier] = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
  if (count < 1 || sides < 2) return null;
  const rolls = Array.from({ length: count }, () => 1 + Math.floor(random() * sides));
  return { rolls, total: rolls.reduce((a, b) => a + b, 0) + modifier };
}

function onCooldown(userId: string): boolean {
  const now = Date.now();
  const previous = lastUse.get(userId) ?? 0;
  lastUse.set(userId, now);
  return now - previous < COOLDOWN_MS;
}

async function handle(interaction: ChatInputCommandInteraction): Promise<void> {
  if (onCooldown(interaction.user.id)) {
    await interaction.reply({ content: 'Easy there, the dice need a breather.', ephemeral: true });
    return;
  }
  if (interaction.commandName === 'roll') {
    const spec = interaction.options.getString('dice', true);
    const result = roll(spec);
    await interaction.reply(result ? `🎲 ${spec}: [${result.rolls.join(', ')}] = **${result.total}**` : `Can't roll "${spec}".`);
    return;
  }
  const spell = interaction.options.getString('name', true).toLowerCase();
  const field = interaction.options.getString('field', true).toLowerCase();
  const entry = (srdSpells as Record<string, Record<string, string>>)[spell]?.[field];
  await interaction.reply(entry ?? `No ${field} listed for ${spell}. Ask the DM!`);
}

client.on(Events.InteractionCreate, (interaction) => {
  if (!interaction.isChatInputCommand()) return;
  handle(interaction).catch((err) => console.error(`/${interaction.commandName}`, err));
});

client.once(Events.ClientReady, (c) => console.log(`dice bot ready as ${c.user.tag}`));
client.login(process.env.DISCORD_TOKEN);
