import { Button, Card, Group, Input, RangeSlider, Select, SimpleGrid, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import { EMOTIONS, type Emotion, type ModelInfo } from '../../api/types.js';
import { emotionLabel } from '../../lib/emotions.js';
import { type HistoryFilters, isFiltered, NO_FILTERS } from './filters.js';

interface HistoryFilterBarProps {
  filters: HistoryFilters;
  /** The model catalogue; the Model filter shows when it offers a choice. */
  models: readonly ModelInfo[] | undefined;
  onChange: (change: Partial<HistoryFilters>) => void;
  onClear: () => void;
}

/** Emotion, model, confidence range and dates; the slider applies when it is let go. */
export function HistoryFilterBar({ filters, models, onChange, onClear }: HistoryFilterBarProps) {
  const [confidenceDraft, setConfidenceDraft] = useState<[number, number]>(filters.confidence);
  const [low, high] = filters.confidence;
  useEffect(() => setConfidenceDraft([low, high]), [low, high]);

  return (
    <Card withBorder radius="md" padding="md">
      <SimpleGrid cols={{ base: 1, xs: 2, lg: 3, xl: 5 }} spacing="md" verticalSpacing="sm">
        <Select
          label="Emotion"
          placeholder="All emotions"
          clearable
          data={EMOTIONS.map((emotion) => ({ value: emotion, label: emotionLabel(emotion) }))}
          value={filters.emotion}
          onChange={(value) => onChange({ emotion: (value as Emotion | null) ?? null })}
        />
        {models && models.length > 1 && (
          <Select
            label="Model"
            placeholder="All models"
            clearable
            data={models.map((model) => ({ value: model.id, label: model.name }))}
            value={filters.model}
            onChange={(value) => onChange({ model: value ?? null })}
          />
        )}
        <Input.Wrapper label="Confidence" id="confidence-range">
          <RangeSlider
            mt={8}
            mb="md"
            min={0}
            max={100}
            step={5}
            minRange={5}
            value={confidenceDraft}
            onChange={setConfidenceDraft}
            onChangeEnd={(value) => onChange({ confidence: value })}
            label={(value) => `${value}%`}
            marks={[
              { value: 0, label: '0%' },
              { value: 50, label: '50%' },
              { value: 100, label: '100%' },
            ]}
            thumbFromLabel="Minimum confidence"
            thumbToLabel="Maximum confidence"
          />
        </Input.Wrapper>
        <TextInput
          label="From"
          type="date"
          value={filters.from}
          max={filters.to || undefined}
          onChange={(event) => onChange({ from: event.currentTarget.value })}
        />
        <TextInput
          label="To"
          type="date"
          value={filters.to}
          min={filters.from || undefined}
          onChange={(event) => onChange({ to: event.currentTarget.value })}
        />
      </SimpleGrid>
      {isFiltered(filters) && (
        <Group justify="flex-end" mt="sm">
          <Button
            variant="subtle"
            size="xs"
            onClick={() => {
              setConfidenceDraft(NO_FILTERS.confidence);
              onClear();
            }}
          >
            Clear filters
          </Button>
        </Group>
      )}
    </Card>
  );
}
