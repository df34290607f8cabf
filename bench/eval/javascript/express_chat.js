// Express backend of the website chat bubble.
const express = require('express');
const OpenAI = require('openai');

const app = express();
app.use(express.json());
const client = new OpenAI();

app.post('/api/chat', async (req, res) => {
  const { conversationId, message } = req.body;
  if (!message) return res.status(400).json({ error: 'message is required' });
  try {
    const response = await client.responses.create({
      model: 'gpt-4o-mini',
      instructions: 'You are the sales assistant of Acme Bikes. Recommend a bike and ask follow-up questions.',
      input: message,
    });
    res.json({ conversationId, reply: response.output_text });
  } catch (error) {
    res.status(502).json({ error: 'The assistant is unavailable, try again.' });
  }
});

app.listen(process.env.PORT || 3000);
