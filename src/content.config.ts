import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { z } from 'astro/zod';
import { docsLoader } from '@astrojs/starlight/loaders';
import { docsSchema } from '@astrojs/starlight/schema';

export const collections = {
  docs: defineCollection({ loader: docsLoader(), schema: docsSchema() }),
  // One exercise per Markdown file, src/content/exercises/<chapter>/<id>.md (format:
  // src/runtime/exercise-source.ts); the body's ```ts starter/solution/tests blocks
  // are taken out by <Exercise>.
  exercises: defineCollection({
    loader: glob({ base: './src/content/exercises', pattern: '**/*.md' }),
    schema: z.object({
      title: z.string().min(1),
      points: z.number().positive().default(1),
      timeout: z.number().positive().default(10),
      hints: z.array(z.string()).default([]),
    }),
  }),
  // One quiz per YAML file beside the chapter's exercises (format: src/components/quiz/quiz-source.ts).
  quizzes: defineCollection({
    loader: glob({ base: './src/content/exercises', pattern: '**/*.yaml' }),
    schema: z.object({ title: z.string().min(1), points: z.number().positive().default(1), questions: z.array(z.unknown()).min(1) }),
  }),
};
