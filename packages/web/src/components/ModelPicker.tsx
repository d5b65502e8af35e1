import { Select } from '@mantine/core';
import type { ModelInfo } from '../api/types.js';

interface ModelPickerProps {
  models: readonly ModelInfo[];
  value: string | null;
  onChange: (id: string) => void;
  disabled?: boolean;
}

/** The model a detection uses (GET /models), the catalogue's default preselected by the page. */
export function ModelPicker({ models, value, onChange, disabled }: ModelPickerProps) {
  const selected = models.find((model) => model.id === value);
  return (
    <Select
      label="Model"
      data={models.map((model) => ({
        value: model.id,
        label: model.default ? `${model.name} (default)` : model.name,
      }))}
      value={value}
      onChange={(id) => {
        if (id) onChange(id);
      }}
      allowDeselect={false}
      disabled={disabled}
      description={selected?.description}
      data-testid="model-picker"
    />
  );
}
