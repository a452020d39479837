export {
  type BundledDataset,
  type BundledDatasetName,
  bundledDataset,
  bundledDatasetNames,
} from './bundled-dataset.js';
