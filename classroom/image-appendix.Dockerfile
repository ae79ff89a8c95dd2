# Added to the learners' image after repo2docker's own steps (repo2docker --appendix; see
# classroom/z2jh-values.yaml): nbgitpuller, so the course link can clone and update the lessons.
RUN python -m pip install --no-cache-dir "nbgitpuller==1.3.0"
