enum PVRuntimeModule {}
