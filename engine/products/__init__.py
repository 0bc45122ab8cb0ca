"""Products computed from embeddings: embeddings, PCA composite, clusters, similarity, change, classify.

`compute_embeddings(job, input_index, output_path, progress, cancel) -> EmbeddingInfo` (in
embeddings.py) is the shared first step; `dispatch.run_job` runs a whole JobSpec.
"""
