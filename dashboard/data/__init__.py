"""Where the figures come from and how they are kept: paths, the processed tables (store), the catalogue of
schemes and sources, and the build, ingest and update pipelines that turn official files into data/.

The lowest layer: it imports nothing else of the package.
"""
