import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { parse } from "graphql";

/** Operations the app needs beyond the SDK's shared ones: thumbnails, maps, page sizes. */

export type Mode = "VISUAL" | "TEXT" | "HYBRID";

export interface SearchVariables {
  input: {
    query: string;
    mode: Mode;
    topK: number;
    collectionName?: string | null;
    collectionFilter?: unknown;
    documentFilter?: unknown;
  };
}

export interface ResultPage {
  id: string;
  number: number;
  width: number;
  height: number;
  thumbnail: string;
}

export interface Hit {
  rank: number;
  score: number;
  page: ResultPage;
  document: { name: string; metadata: unknown };
  collection: { name: string };
}

export interface SearchData {
  search: { tookMs: number; results: Hit[] };
}

export const SearchPagesDocument = parse(`
  query SearchPages($input: SearchInput!) {
    search(input: $input) {
      tookMs
      results {
        rank
        score
        page { id number width height thumbnail: imageUrl(width: 320) }
        document { name metadata }
        collection { name }
      }
    }
  }
`) as TypedDocumentNode<SearchData, SearchVariables>;

export interface SimilarityMap {
  rows: number;
  columns: number;
  tokens: string[];
  values: number[][];
}

export interface MapData {
  search: {
    results: {
      page: { id: string; image: string };
      similarityMap: SimilarityMap | null;
    }[];
  };
}

/** The same search again, with the maps: computed only when this field is asked for. */
export const SearchMapsDocument = parse(`
  query SearchMaps($input: SearchInput!) {
    search(input: $input) {
      results {
        page { id image: imageUrl(width: 1280) }
        similarityMap { rows columns tokens values }
      }
    }
  }
`) as TypedDocumentNode<MapData, SearchVariables>;
